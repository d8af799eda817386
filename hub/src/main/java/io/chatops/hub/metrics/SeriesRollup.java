package io.chatops.hub.metrics;

import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every series of a server per bucket of time — a minute, an hour, or a single sample — as
 * average and maximum: the server-wide figures (CPU, memory, fullest filesystem, load, network
 * over all interfaces) and the detail a capacity question needs (each core, filesystem, interface
 * and container, and swap: which filesystem grew, which container ate the memory), and each
 * device's I/O, each temperature sensor, pressure, TCP and services figures.
 */
final class SeriesRollup {
    enum Kind {
        // Stored by ordinal: new kinds go at the end.
        CORE, SWAP, DISK, NET_SENT, NET_RECV, CONTAINER_CPU, CONTAINER_MEMORY,
        /** The server-wide figures of {@link Summary}, each the one series of its kind. */
        CPU, MEMORY, FULLEST_DISK, LOAD_1, SENT, RECEIVED,
        /** Per block device. */
        DISK_READ, DISK_WRITE, DISK_READS, DISK_WRITES, DISK_BUSY,
        /** Per sensor. */
        TEMPERATURE,
        /** Each named by its figure ({@code cpu_some_avg10}, {@code established}, {@code failed}, …). */
        PRESSURE, TCP, SERVICES;

        /**
         * Figures are kept as agents send them: percentages to two decimals, bytes and bytes per
         * second whole. More digits of an average would be noise, and cost bytes on disk and on the wire.
         */
        double round(double value) {
            return switch (this) {
                case NET_SENT, NET_RECV, CONTAINER_MEMORY, SENT, RECEIVED, DISK_READ, DISK_WRITE -> Math.round(value);
                default -> Math.round(value * 100) / 100.0;
            };
        }
    }

    /** One series: its kind and what it is of (core number, mount point, interface or container name; empty for swap). */
    record Series(Kind kind, String name) {
    }

    record Figure(double avg, double max) {
    }

    /** Bucket start (epoch ms) to the figures of each series in it, by time. */
    private final TreeMap<Long, Map<Series, Figure>> buckets = new TreeMap<>();

    /**
     * The rollup of {@code samples} (by time) in buckets of {@code length} ms; rates are from each
     * sample's predecessor in the list, so the first sample of the list has none.
     */
    static SeriesRollup of(List<Sample> samples, long length) {
        Map<Long, Map<Series, double[]>> sums = new TreeMap<>();
        Metrics previous = null;
        for (Sample sample : samples) {
            long bucket = Math.floorDiv(sample.millis(), length) * length;
            Map<Series, double[]> sum = sums.computeIfAbsent(bucket, b -> new HashMap<>());
            values(sample, previous, (series, value) -> {
                double[] s = sum.computeIfAbsent(series, k -> new double[] {0, 0, Double.NEGATIVE_INFINITY});
                s[0] += value;
                s[1]++;
                s[2] = Math.max(s[2], value);
            });
            previous = sample.metrics();
        }
        SeriesRollup rollup = new SeriesRollup();
        sums.forEach((bucket, sum) -> {
            Map<Series, Figure> figures = new LinkedHashMap<>();
            sum.forEach((series, s) -> figures.put(series, new Figure(series.kind().round(s[0] / s[1]), series.kind().round(s[2]))));
            rollup.buckets.put(bucket, figures);
        });
        return rollup;
    }

    /** Each sample as its own bucket (at its timestamp), average and maximum both its value. */
    static SeriesRollup perSample(List<Sample> samples) {
        SeriesRollup rollup = new SeriesRollup();
        Metrics previous = null;
        for (Sample sample : samples) {
            Map<Series, Figure> figures = rollup.buckets.computeIfAbsent(sample.millis(), b -> new LinkedHashMap<>());
            values(sample, previous, (series, value) -> {
                double rounded = series.kind().round(value);
                figures.put(series, new Figure(rounded, rounded));
            });
            previous = sample.metrics();
        }
        return rollup;
    }

    @FunctionalInterface
    private interface Sink {
        void accept(Series series, double value);
    }

    /** Every value of one sample; rates need the one before it. */
    private static void values(Sample sample, Metrics previous, Sink sink) {
        Metrics m = sample.metrics();
        Summary summary = Summary.of(m, previous);
        figure(sink, Kind.CPU, "", summary.cpu());
        figure(sink, Kind.MEMORY, "", summary.memory());
        figure(sink, Kind.FULLEST_DISK, "", summary.disk());
        figure(sink, Kind.LOAD_1, "", summary.load1());
        figure(sink, Kind.SENT, "", summary.sentPerSecond());
        figure(sink, Kind.RECEIVED, "", summary.recvPerSecond());
        if (m.cpu() != null) {
            List<Double> cores = m.cpu().perCorePercent();
            for (int core = 0; core < cores.size(); core++) {
                sink.accept(new Series(Kind.CORE, Integer.toString(core)), cores.get(core));
            }
        }
        if (m.memory() != null && m.memory().swapTotalBytes() > 0) {
            sink.accept(new Series(Kind.SWAP, ""), 100.0 * m.memory().swapUsedBytes() / m.memory().swapTotalBytes());
        }
        for (DiskUsage disk : m.disks()) {
            sink.accept(new Series(Kind.DISK, disk.mount()), disk.usagePercent());
        }
        if (previous != null && m.timestamp().isAfter(previous.timestamp())) {
            Duration between = Duration.between(previous.timestamp(), m.timestamp());
            for (InterfaceCounters now : m.network()) {
                for (InterfaceCounters before : previous.network()) {
                    if (before.name().equals(now.name())) {
                        // Never null: the time between them is positive.
                        sink.accept(new Series(Kind.NET_SENT, now.name()), CounterRate.perSecond(before.bytesSent(), now.bytesSent(), between));
                        sink.accept(new Series(Kind.NET_RECV, now.name()), CounterRate.perSecond(before.bytesRecv(), now.bytesRecv(), between));
                    }
                }
            }
        }
        for (ContainerLoad load : sample.containers()) {
            sink.accept(new Series(Kind.CONTAINER_CPU, load.name()), load.cpuPercent());
            sink.accept(new Series(Kind.CONTAINER_MEMORY, load.name()), load.memoryBytes());
        }
        laterParts(m, sink);
    }

    /** The parts agents report since protocol version 1 added them; agents send them as rates and gauges already. */
    private static void laterParts(Metrics m, Sink sink) {
        if (m.diskIo() != null) {
            for (DiskIo io : m.diskIo()) {
                sink.accept(new Series(Kind.DISK_READ, io.device()), io.readBytesPerSecond());
                sink.accept(new Series(Kind.DISK_WRITE, io.device()), io.writeBytesPerSecond());
                sink.accept(new Series(Kind.DISK_READS, io.device()), io.readsPerSecond());
                sink.accept(new Series(Kind.DISK_WRITES, io.device()), io.writesPerSecond());
                sink.accept(new Series(Kind.DISK_BUSY, io.device()), io.busyPercent());
            }
        }
        if (m.temperatures() != null) {
            for (Temperature t : m.temperatures()) {
                sink.accept(new Series(Kind.TEMPERATURE, t.sensor()), t.celsius());
            }
        }
        Pressure p = m.pressure();
        if (p != null) {
            figure(sink, Kind.PRESSURE, "cpu_some_avg10", p.cpuSomeAvg10());
            figure(sink, Kind.PRESSURE, "memory_some_avg10", p.memorySomeAvg10());
            figure(sink, Kind.PRESSURE, "memory_full_avg10", p.memoryFullAvg10());
            figure(sink, Kind.PRESSURE, "io_some_avg10", p.ioSomeAvg10());
            figure(sink, Kind.PRESSURE, "io_full_avg10", p.ioFullAvg10());
        }
        TcpStats tcp = m.tcp();
        if (tcp != null) {
            figure(sink, Kind.TCP, "established", (double) tcp.established());
            figure(sink, Kind.TCP, "in_use", (double) tcp.inUse());
            figure(sink, Kind.TCP, "time_wait", (double) tcp.timeWait());
            figure(sink, Kind.TCP, "orphans", (double) tcp.orphans());
            figure(sink, Kind.TCP, "active_opens_per_second", tcp.activeOpensPerSecond());
            figure(sink, Kind.TCP, "passive_opens_per_second", tcp.passiveOpensPerSecond());
            figure(sink, Kind.TCP, "retransmits_per_second", tcp.retransmitsPerSecond());
        }
        ServiceStates services = m.services();
        if (services != null) {
            figure(sink, Kind.SERVICES, "active", (double) services.active());
            figure(sink, Kind.SERVICES, "activating", (double) services.activating());
            figure(sink, Kind.SERVICES, "inactive", (double) services.inactive());
            figure(sink, Kind.SERVICES, "failed", (double) services.failed());
        }
    }

    /** The value of the series {@code kind} named {@code name} ("" for the server-wide figures), when the sample has one. */
    private static void figure(Sink sink, Kind kind, String name, Double value) {
        if (value != null) {
            sink.accept(new Series(kind, name), value);
        }
    }

    void put(long bucket, Map<Series, Figure> figures) {
        buckets.put(bucket, figures);
    }

    /** Takes {@code other}'s buckets, replacing this one's at the same start. */
    void putAll(SeriesRollup other) {
        buckets.putAll(other.buckets);
    }

    /** Takes the series of {@code other} that this one lacks, bucket by bucket; what this one has stays. */
    void addMissing(SeriesRollup other) {
        other.buckets.forEach((bucket, figures) -> {
            Map<Series, Figure> own = buckets.computeIfAbsent(bucket, b -> new LinkedHashMap<>());
            figures.forEach(own::putIfAbsent);
        });
    }

    Map<Series, Figure> at(long bucket) {
        return buckets.get(bucket);
    }

    /** The buckets from {@code from} to {@code to} inclusive. */
    SeriesRollup between(long from, long to) {
        SeriesRollup part = new SeriesRollup();
        part.buckets.putAll(buckets.subMap(from, true, to, true));
        return part;
    }

    TreeMap<Long, Map<Series, Figure>> buckets() {
        return buckets;
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }
}
