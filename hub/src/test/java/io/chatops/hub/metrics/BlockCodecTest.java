package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.hub.bench.SyntheticSamples;
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
import org.junit.jupiter.api.Test;

class BlockCodecTest {
    static final Instant START = Instant.parse("2026-11-30T10:00:00.123Z");

    /** An hour of a server as its agent reports it: two decimals, counters that grow, a cadence with jitter. */
    static List<Metrics> hour(long seed, int cores, int disks, int interfaces) {
        return SyntheticSamples.of(seed, START, 720, cores, disks, interfaces).stream().map(s -> s.withSeq(s.seq() + 999)).toList();
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
        int values = samples.stream().mapToInt(SyntheticSamples::values).sum();
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
