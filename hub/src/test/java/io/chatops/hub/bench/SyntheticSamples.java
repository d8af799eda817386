package io.chatops.hub.bench;

import io.chatops.hub.metrics.ContainerLoad;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A server's samples as its agent reports them, every 5 s: CPU as a random walk with per-core
 * noise, two decimals as the agent rounds them; memory that drifts; filesystems that fill; byte
 * and packet counters that grow at a varying rate; a cadence with a few milliseconds of jitter.
 * The same seed gives the same samples, so that one run can hand the very same values to the hub
 * and to Prometheus.
 */
public final class SyntheticSamples {
    private SyntheticSamples() {
    }

    public static List<Metrics> of(long seed, Instant start, int count, int cores, int disks, int interfaces) {
        Random random = new Random(seed);
        List<Metrics> samples = new ArrayList<>(count);
        double cpu = 20;
        long used = 3L << 30;
        long[] sent = new long[interfaces];
        long[] recv = new long[interfaces];
        long[] diskUsed = new long[disks];
        for (int i = 0; i < count; i++) {
            cpu = Math.max(0, Math.min(100, cpu + random.nextGaussian() * 3));
            List<Double> perCore = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                perCore.add(round(Math.max(0, Math.min(100, cpu + random.nextGaussian() * 8))));
            }
            used = Math.max(1L << 30, Math.min(14L << 30, used + (long) (random.nextGaussian() * 2_000_000)));
            List<DiskUsage> diskList = new ArrayList<>();
            for (int d = 0; d < disks; d++) {
                diskUsed[d] += random.nextInt(500) * 4096L; // about 17 GB a day
                long total = 1L << 40;
                long usedBytes = (10L << 30) + diskUsed[d];
                diskList.add(new DiskUsage(d == 0 ? "/" : "/data" + d, "/dev/sd" + (char) ('a' + d) + "1", "ext4", total, usedBytes,
                        total - usedBytes, round(100.0 * usedBytes / total)));
            }
            List<InterfaceCounters> nics = new ArrayList<>();
            for (int n = 0; n < interfaces; n++) {
                sent[n] += 5_000 + random.nextInt(200_000);
                recv[n] += 8_000 + random.nextInt(400_000);
                nics.add(new InterfaceCounters(n == 0 ? "eth0" : "veth" + n, sent[n], recv[n], sent[n] / 900, recv[n] / 1000, 0, 0));
            }
            Instant at = start.plusMillis(i * 5_000L + random.nextInt(40));
            samples.add(new Metrics(1 + i, at, 5, new CpuUsage(round(cpu), perCore, round(cpu / 25), round(cpu / 30), round(cpu / 35)),
                    new MemoryUsage(16L << 30, used, (16L << 30) - used, round(100.0 * used / (16L << 30)), 2L << 30, 0), diskList, nics,
                    86_400L + i * 5L, new ContainerCounts(3, 1), null));
        }
        return samples;
    }

    /**
     * The same samples with the parts agents report since protocol version 1 added them: disk I/O of
     * each disk's device, three temperature sensors (one without marks), pressure and TCP figures,
     * and services (one failed now and then).
     */
    public static List<Metrics> withLaterParts(long seed, List<Metrics> samples) {
        Random random = new Random(seed);
        List<Metrics> all = new ArrayList<>(samples.size());
        double temperature = 45;
        long established = 40;
        for (Metrics s : samples) {
            List<DiskIo> io = new ArrayList<>();
            for (DiskUsage disk : s.disks()) {
                io.add(new DiskIo(disk.device().substring(5, 8), List.of(disk.mount()), round(random.nextDouble() * 4e6),
                        round(random.nextDouble() * 8e6), round(random.nextDouble() * 80), round(random.nextDouble() * 200),
                        round(random.nextDouble() * 30)));
            }
            temperature = Math.max(20, Math.min(95, temperature + random.nextGaussian()));
            List<Temperature> temperatures = List.of(new Temperature("coretemp Package id 0", round(temperature), 80.0, 100.0),
                    new Temperature("nvme Composite", round(temperature - 10), 81.85, 84.85), new Temperature("acpitz", 27.8, null, null));
            established = Math.max(0, established + random.nextInt(7) - 3);
            all.add(new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(), s.disks(), s.network(), s.uptimeSeconds(),
                    s.containers(), s.errors(), io, temperatures,
                    new Pressure(round(random.nextDouble() * 5), round(random.nextDouble()), 0.0, round(random.nextDouble() * 2), 0.0),
                    new TcpStats(established, established + 12, random.nextInt(200), 0, round(random.nextDouble() * 3),
                            round(random.nextDouble() * 20), round(random.nextDouble() * 0.5)),
                    random.nextInt(100) == 0 ? new ServiceStates(40, 0, 0, 0, 60, 1, 0, List.of("backup.service"))
                            : new ServiceStates(41, 0, 0, 0, 60, 0, 0, List.of())));
        }
        return all;
    }

    /**
     * What a server's containers report beside {@code count} samples: {@code containers} containers
     * whose CPU and memory walk, read every 30 s (every sixth sample holds a new report).
     */
    public static List<List<ContainerLoad>> containerLoads(long seed, int count, int containers) {
        Random random = new Random(seed);
        double[] cpu = new double[containers];
        long[] memory = new long[containers];
        java.util.Arrays.fill(memory, 256L << 20);
        List<List<ContainerLoad>> loads = new ArrayList<>(count);
        List<ContainerLoad> report = List.of();
        for (int i = 0; i < count; i++) {
            if (i % 6 == 0) {
                List<ContainerLoad> next = new ArrayList<>();
                for (int c = 0; c < containers; c++) {
                    cpu[c] = Math.max(0, Math.min(400, cpu[c] + random.nextGaussian() * 2));
                    memory[c] = Math.max(16L << 20, memory[c] + (long) (random.nextGaussian() * 4_000_000));
                    next.add(new ContainerLoad(String.format("app-%02d", c), round(cpu[c]), memory[c]));
                }
                report = next;
            }
            loads.add(report);
        }
        return loads;
    }

    /** The numbers a sample holds: what "values" counts in bytes per value, for us and for Prometheus alike. */
    public static int values(Metrics sample) {
        return 1 + sample.cpu().perCorePercent().size() + 3 + 6 + 4 * sample.disks().size() + 6 * sample.network().size() + 1 + 2;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
