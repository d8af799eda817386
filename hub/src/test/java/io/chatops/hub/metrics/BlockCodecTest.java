package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.hub.bench.SyntheticSamples;
import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
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
        assertThat(roundTrip(samples)).isEqualTo(samples);
    }

    static List<Metrics> roundTrip(List<Metrics> samples) {
        return BlockCodec.decode(BlockCodec.encode(samples.stream().map(Sample::of).toList())).stream().map(Sample::metrics).toList();
    }

    @Test
    void container_loads_come_back_with_their_samples() {
        List<Metrics> metrics = hour(5, 2, 1, 1);
        List<List<ContainerLoad>> loads = SyntheticSamples.containerLoads(5, metrics.size(), 3);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            // Containers come and go: the first one only in the first half, none at all in one sample.
            List<ContainerLoad> own = i >= metrics.size() / 2 ? loads.get(i).subList(1, 3) : loads.get(i);
            samples.add(new Sample(metrics.get(i), i == 7 ? List.of() : own));
        }
        assertThat(BlockCodec.decode(BlockCodec.encode(samples))).isEqualTo(samples);
    }

    /** Blocks written before the later parts (version 2) and before container loads (version 1) read as samples without them. */
    @Test
    void blocks_of_earlier_versions_still_decode() {
        Metrics sample = hour(6, 2, 1, 1).get(0);
        byte[] block = BlockCodec.encode(List.of(Sample.of(sample)));
        assertThat(block[0]).isEqualTo((byte) 'P');
        assertThat(block[1]).isEqualTo(BlockCodec.VERSION);
        // Version 2 was version 3 without its last section, which for one sample without those parts takes 32 bytes: a flag
        // byte, no devices and no sensors (2 bytes each), and 22 empty columns of pressure, TCP and services figures (1 or 2 bytes each).
        byte[] v2 = java.util.Arrays.copyOf(block, block.length - 32);
        v2[1] = 2;
        assertThat(BlockCodec.decode(v2)).containsExactly(Sample.of(sample));
        // Version 1 was version 2 without its last section: no container names (0), and none for the one sample (0).
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 2);
        v1[1] = 1;
        assertThat(BlockCodec.decode(v1)).containsExactly(Sample.of(sample));
    }

    @Test
    void the_later_parts_come_back_whether_a_sample_has_them_or_not() {
        List<Metrics> samples = new ArrayList<>(SyntheticSamples.withLaterParts(8, hour(8, 2, 2, 1)));
        Metrics s = samples.get(3); // an older agent, or a collector that failed: none of them
        samples.set(3, new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(), s.disks(), s.network(),
                s.uptimeSeconds(), s.containers(), s.errors()));
        s = samples.get(4); // empty lists, a device without mounts, a mount point with odd characters, rates not known yet
        samples.set(4, new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(), s.disks(), s.network(),
                s.uptimeSeconds(), s.containers(), s.errors(), List.of(new DiskIo("dm-0", List.of(), 1.0 / 3, 0, 0, 0, 0),
                        new DiskIo("sdb", List.of("/mnt/a b", "/mnt/é\n"), 1, 2, 3, 4, 100)), List.of(),
                new Pressure(null, 1.0, null, 2.0, null), new TcpStats(1, 2, 3, 4, null, null, null),
                new ServiceStates(1, 2, 3, 4, 5, 6, 7, List.of("a.service", "é b.service"))));

        assertThat(roundTrip(samples)).isEqualTo(samples);
        assertThat(roundTrip(samples.subList(4, 5))).containsExactly(samples.get(4));
    }

    @Test
    void one_sample_and_samples_whose_parts_come_and_go_come_back_too() {
        List<Metrics> hour = hour(2, 2, 2, 2);
        Metrics first = hour.get(0);
        assertThat(roundTrip(List.of(first))).containsExactly(first);

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

        assertThat(roundTrip(mixed)).isEqualTo(mixed);
    }

    /** What the compact tier is for: an hour of a small server in far fewer bytes than its JSON (about 1 KB a sample). */
    @Test
    void an_hour_of_a_small_server_takes_under_two_bytes_a_value() {
        List<Metrics> samples = hour(3, 2, 1, 4);
        int values = samples.stream().mapToInt(SyntheticSamples::values).sum();
        int bytes = BlockCodec.encode(samples.stream().map(Sample::of).toList()).length;
        assertThat((double) bytes / values).as("bytes per value (%d bytes for %d values)", bytes, values).isLessThan(2.0);
    }

    @Test
    void a_damaged_block_is_refused_with_a_reason() {
        byte[] block = BlockCodec.encode(List.of(Sample.of(hour(4, 1, 1, 1).get(0))));
        assertThatThrownBy(() -> BlockCodec.decode(java.util.Arrays.copyOf(block, block.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
        block[0] = 'X';
        assertThatThrownBy(() -> BlockCodec.decode(block)).hasMessageContaining("damaged");
    }
}
