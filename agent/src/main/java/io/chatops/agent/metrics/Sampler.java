package io.chatops.agent.metrics;

import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Takes one metrics sample by running every collector in turn. Each collector is timed and its
 * failure contained: a broken collector is named in the sample's {@code errors} and never costs
 * the rest of the sample. Called from one thread only.
 */
public final class Sampler {
    private final List<Collector> collectors;
    private final Clock clock;
    private final long[] lastNanos;

    Sampler(List<Collector> collectors, Clock clock) {
        this.collectors = List.copyOf(collectors);
        this.clock = clock;
        this.lastNanos = new long[collectors.size()];
    }

    /** The collectors of a Linux host, in the order they appear in a sample. */
    /**
     * @param services whether to report systemd's services (where systemd runs)
     * @param bus      the socket of the D-Bus system bus that systemd answers on
     */
    public static Sampler forHost(ProcFs fs, Clock clock, boolean services, Path bus) throws IOException {
        return forHost(fs, clock, System::nanoTime, SpaceProbe.fileStores(), MountProber.MOUNT_TIMEOUT, services, bus);
    }

    /** Without services: what tests of the /proc collectors need. */
    static Sampler forHost(ProcFs fs, Clock clock, LongSupplier nanoTime, SpaceProbe space, Duration mountTimeout) throws IOException {
        return forHost(fs, clock, nanoTime, space, mountTimeout, false, null);
    }

    /** @param nanoTime the monotonic clock that rates are computed over */
    static Sampler forHost(ProcFs fs, Clock clock, LongSupplier nanoTime, SpaceProbe space, Duration mountTimeout, boolean services,
            Path bus) throws IOException {
        MountTable mounts = new MountTable(fs);
        return new Sampler(List.of(
                new CpuCollector(fs),
                new MemoryCollector(fs),
                new DiskCollector(fs, mounts, space, mountTimeout),
                new DiskIoCollector(fs, mounts, nanoTime), // after the disk collector, whose reading of the mount table it uses
                new NetworkCollector(fs),
                new TcpCollector(fs, nanoTime),
                new PressureCollector(fs),
                new TemperatureCollector(fs, nanoTime),
                new ServicesCollector(fs, bus, services, nanoTime),
                new UptimeCollector(fs)), clock);
    }

    public Metrics sample(long seq, Duration interval, ContainerCounts containers) {
        SampleBuilder sample = new SampleBuilder();
        for (int i = 0; i < collectors.size(); i++) {
            Collector collector = collectors.get(i);
            long start = System.nanoTime();
            try {
                collector.collect(sample);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sample.addError(collector.name(), "interrupted");
            } catch (Exception e) {
                sample.addError(collector.name(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
            lastNanos[i] = System.nanoTime() - start;
        }
        return sample.build(seq, clock.instant(), (int) interval.toSeconds(), containers);
    }

    /** How long each collector took in the last sample, for the debug log and the benchmark. */
    public String lastTimings() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < collectors.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(collectors.get(i).name()).append(' ')
                    .append(lastNanos[i] / 1_000).append(" µs");
        }
        return text.toString();
    }
}
