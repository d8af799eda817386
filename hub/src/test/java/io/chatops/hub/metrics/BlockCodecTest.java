package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
    static final Instant START = Instant.parse("2026-11-30T10:00:00.123Z");

    /** An hour of a server as its agent reports it: two decimals, counters that grow, a cadence with jitter. */
    static List<Metrics> hour(long seed, int cores, int disks, int interfaces) {
        Random random = new Random(seed);
        List<Metrics> samples = new ArrayList<>();
        double cpu = 20;
        long used = 3L << 30;
        long[] sent = new long[interfaces];
        long[] recv = new long[interfaces];
        long[] diskUsed = new long[disks];
        for (int i = 0; i < 720; i++) {
            cpu = Math.max(0, Math.min(100, cpu + random.nextGaussian() * 3));
            List<Double> perCore = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                perCore.add(round(Math.max(0, Math.min(100, cpu + random.nextGaussian() * 8))));
            }
            used += (long) (random.nextGaussian() * 2_000_000);
            List<DiskUsage> diskList = new ArrayList<>();
            for (int d = 0; d < disks; d++) {
                diskUsed[d] += random.nextInt(50_000) * 4096L;
                long total = 100L << 30;
                diskList.add(new DiskUsage(d == 0 ? "/" : "/data" + d, "/dev/sda" + (d + 1), "ext4", total, (10L << 30) + diskUsed[d],
                        total - (10L << 30) - diskUsed[d], round(100.0 * ((10L << 30) + diskUsed[d]) / total)));
            }
            List<InterfaceCounters> nics = new ArrayList<>();
            for (int n = 0; n < interfaces; n++) {
                sent[n] += 5_000 + random.nextInt(200_000);
                recv[n] += 8_000 + random.nextInt(400_000);
                nics.add(new InterfaceCounters(n == 0 ? "eth0" : "veth" + n, sent[n], recv[n], sent[n] / 900, recv[n] / 1000, 0, n));
            }
            Instant at = START.plusMillis(i * 5_000L + random.nextInt(40));
            samples.add(new Metrics(1_000 + i, at, 5, new CpuUsage(round(cpu), perCore, round(cpu / 25), round(cpu / 30), round(cpu / 35)),
                    new MemoryUsage(16L << 30, used, (16L << 30) - used, round(100.0 * used / (16L << 30)), 2L << 30, 0), diskList, nics,
                    86_400L + i * 5L, new ContainerCounts(3, 1), null));
        }
        return samples;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @Test
    void an_hour_comes_back_exactly_as_it_was_sent() {
        List<Metrics> samples = hour(1, 4, 2, 3);
        assertThat(BlockCodec.decode(BlockCodec.encode(samples))).isEqualTo(samples);
    }

    @Test
    void one_sample_and_samples_whose_parts_come_and_go_come_back_too() {
        List<Metrics> hour = hour(2, 2, 2, 2);
        Metrics first = hour.get(0);
        assertThat(BlockCodec.decode(BlockCodec.encode(List.of(first)))).containsExactly(first);

        List<Metrics> mixed = new ArrayList<>(hour.subList(0, 6));
        Metrics s = mixed.get(1); // a collector failed: its part is absent and the error named
        mixed.set(1, new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), null, s.memory(), List.of(), s.network(), null, null,
                List.of(new CollectorError("cpu", "cannot read /proc/stat: é"))));
        s = mixed.get(2); // a core more, a disk gone, an interface in another order, odd doubles
        List<Double> cores = new ArrayList<>(s.cpu().perCorePercent());
        cores.add(1.0 / 3);
        mixed.set(2, new Metrics(s.seq(), s.timestamp(), 30, new CpuUsage(12.345678, cores, 0.1, 0.2, 0.3), null,
                s.disks().subList(1, 2), List.of(s.network().get(1), s.network().get(0)), Long.MAX_VALUE, new ContainerCounts(0, 0), List.of()));
        s = mixed.get(3);
        mixed.set(3, new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(),
                List.of(new DiskUsage("/mnt/usb", "/dev/sdb1", "vfat", 1, 1, 0, 100)), s.network(), s.uptimeSeconds(), s.containers(), null));

        assertThat(BlockCodec.decode(BlockCodec.encode(mixed))).isEqualTo(mixed);
    }

    /** What the compact tier is for: an hour of a small server in far fewer bytes than its JSON (about 1 KB a sample). */
    @Test
    void an_hour_of_a_small_server_takes_under_two_bytes_a_value() {
        List<Metrics> samples = hour(3, 2, 1, 4);
        // per sample: cpu, 2 cores, 3 loads, 6 memory figures, 4 per disk, 6 per interface, uptime, 2 container counts
        int values = samples.size() * (1 + 2 + 3 + 6 + 4 + 6 * 4 + 1 + 2);
        int bytes = BlockCodec.encode(samples).length;
        assertThat((double) bytes / values).as("bytes per value (%d bytes for %d values)", bytes, values).isLessThan(2.0);
    }

    @Test
    void a_damaged_block_is_refused_with_a_reason() {
        byte[] block = BlockCodec.encode(hour(4, 1, 1, 1).subList(0, 1));
        assertThatThrownBy(() -> BlockCodec.decode(java.util.Arrays.copyOf(block, block.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
        block[0] = 'X';
        assertThatThrownBy(() -> BlockCodec.decode(block)).hasMessageContaining("damaged");
    }
}
