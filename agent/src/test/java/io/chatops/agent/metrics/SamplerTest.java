package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The whole sample of each fixture host against its golden JSON
 * ({@code src/test/resources/fixtures/<host>.sample.json}). After a deliberate change, rewrite
 * them with {@code mvn -pl agent test -Dgolden.regenerate=true} and review the diff.
 */
class SamplerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T01:00:05Z"), ZoneOffset.UTC);
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final long GIB = 1L << 30;

    /** Fixed sizes per mount point instead of statvfs: fixture mount points do not exist. */
    static final Map<String, SpaceProbe.Space> SPACE = Map.of(
            "/", new SpaceProbe.Space(50 * GIB, 40 * GIB, 38 * GIB),
            "/boot", new SpaceProbe.Space(GIB / 2, GIB / 4, GIB / 4),
            "/srv/data", new SpaceProbe.Space(2000 * GIB, 500 * GIB, 500 * GIB),
            "/mnt/backup disk", new SpaceProbe.Space(8000 * GIB, 1000 * GIB, 1000 * GIB));

    @TempDir
    Path scratch;

    final Fixtures.Ticks ticks = new Fixtures.Ticks();

    Sampler sampler(ProcFs fs) throws IOException {
        return Sampler.forHost(fs, CLOCK, ticks, fixedSpace(fs), Duration.ofSeconds(1));
    }

    /** The fixture's later readings, five seconds on. */
    void advance(ProcFs fs) throws IOException {
        Fixtures.advance(fs);
        ticks.advance(INTERVAL);
    }

    static SpaceProbe fixedSpace(ProcFs fs) {
        return path -> {
            String mount = "/" + fs.root().relativize(path).toString().replace('\\', '/');
            SpaceProbe.Space space = SPACE.get(mount.equals("/") ? "/" : mount);
            if (space == null) {
                throw new NoSuchFileException(mount);
            }
            return space;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm-6.18", "server-composed"})
    void sample_of_fixture_host_matches_its_golden_json(String host) throws Exception {
        ProcFs fs = Fixtures.copy(host, scratch);
        Sampler sampler = sampler(fs);
        advance(fs);

        Metrics sample = sampler.sample(42, INTERVAL, new ContainerCounts(2, 1));

        assertThat(sample.errors()).as("errors").isNull();
        String json = new MessageCodec().encode(sample);
        Path golden = Fixtures.ROOT.resolve(host + ".sample.json");
        ObjectMapper mapper = new ObjectMapper();
        if (Boolean.getBoolean("golden.regenerate")) {
            Files.writeString(golden, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json)) + "\n");
        }
        assertThat(mapper.readTree(json)).isEqualTo(mapper.readTree(Files.readString(golden)));
    }

    @Test
    void composed_server_reports_real_filesystems_once_and_cpu_of_the_interval() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);
        Sampler sampler = sampler(fs);
        advance(fs);

        Metrics sample = sampler.sample(1, INTERVAL, null);

        assertThat(sample.disks()).extracting(DiskUsage::mount).containsExactly("/", "/boot", "/srv/data", "/mnt/backup disk");
        assertThat(sample.disks().get(2)).isEqualTo(new DiskUsage("/srv/data", "/dev/mapper/vg0-data", "xfs",
                2000 * GIB, 1500 * GIB, 500 * GIB, 75.0));
        // cpu: busy 120+40+10 = 170 of 170+740+20 = 930 ticks
        assertThat(sample.cpu().usagePercent()).isEqualTo(18.28);
        assertThat(sample.cpu().perCorePercent()).hasSize(4);
        assertThat(sample.cpu().load1()).isEqualTo(1.24);
        assertThat(sample.memory().usedBytes()).isEqualTo((16_384_000L - 12_189_696L) * 1024);
        assertThat(sample.network()).hasSize(4);
        assertThat(sample.uptimeSeconds()).isEqualTo(432_000L);
    }

    @Test
    void composed_server_reports_io_of_whole_disks_with_the_filesystems_they_carry() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);
        Sampler sampler = sampler(fs);
        advance(fs);

        Metrics sample = sampler.sample(1, INTERVAL, null);

        // Partitions (sda1, nvme0n1p1) are counted in their disk; loop0 (a snap's squashfs) and ram0 carry no real filesystem.
        assertThat(sample.diskIo()).extracting(DiskIo::device).containsExactly("sda", "sr0", "dm-0", "dm-1", "dm-2", "nvme0n1");
        // sda over 5 s: 10 240 sectors read, 20 480 written, 50 reads, 200 writes, 1 250 ms busy; /boot is on sda1.
        assertThat(sample.diskIo().get(0)).isEqualTo(new DiskIo("sda", List.of("/boot"), 1_048_576, 2_097_152, 10, 40, 25));
        assertThat(sample.diskIo().get(3)).isEqualTo(new DiskIo("dm-1", List.of("/"), 204_800, 1_024_000, 4, 16, 10));
        assertThat(sample.diskIo().get(4).mounts()).as("/var/lib/docker is a bind mount of /srv/data").containsExactly("/srv/data");
        assertThat(sample.diskIo().get(5)).isEqualTo(new DiskIo("nvme0n1", List.of(), 0, 0, 0, 0, 0));
    }

    @Test
    void composed_server_reports_tcp_connections_and_their_rates() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);
        Sampler sampler = sampler(fs);
        Metrics first = sampler.sample(1, INTERVAL, null);
        advance(fs);

        Metrics second = sampler.sample(2, INTERVAL, null);

        assertThat(first.tcp()).as("no time passed since the agent started: counts, no rates").isEqualTo(new TcpStats(412, 419, 1210, 2, null, null, null));
        // 50 active and 200 passive opens, 12 segments retransmitted in 5 s; 388 IPv4 and 31 IPv6 sockets in use.
        assertThat(second.tcp()).isEqualTo(new TcpStats(418, 419, 1210, 2, 10.0, 40.0, 2.4));
        assertThat(second.pressure()).as("a kernel without pressure information: none, and no error").isNull();
        assertThat(second.errors()).isNull();
    }

    @Test
    void composed_server_reports_every_temperature_sensor_with_its_marks() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);

        Metrics sample = sampler(fs).sample(1, INTERVAL, null);

        assertThat(sample.temperatures()).containsExactly(
                new Temperature("coretemp Package id 0", 52.0, 80.0, 100.0),
                new Temperature("coretemp Core 0", 50.0, 80.0, 100.0),
                new Temperature("coretemp Core 8", 49.0, 80.0, 100.0),
                new Temperature("nvme Composite", 38.85, 81.85, 84.85),
                new Temperature("nvme Composite (hwmon2)", 41.85, 81.85, 84.85),
                new Temperature("nvme Sensor 1", -5.0, null, null),
                new Temperature("acpitz", 27.8, null, 119.0),
                new Temperature("x86_pkg_temp", 52.0, 95.0, null));
    }

    @Test
    void a_temperature_sensor_that_cannot_be_read_is_left_out_and_one_with_garbage_too() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);
        Sampler sampler = sampler(fs);
        Files.writeString(fs.resolve("sys/class/hwmon/hwmon0/temp2_input"), "not a number\n");
        Files.writeString(fs.resolve("sys/class/thermal/thermal_zone0/temp"), "99999999999\n");
        Files.delete(fs.resolve("sys/class/hwmon/hwmon1/temp1_input"));

        Metrics sample = sampler.sample(1, INTERVAL, null);

        assertThat(sample.temperatures()).extracting(Temperature::sensor).containsExactly("coretemp Package id 0", "coretemp Core 8",
                "nvme Composite (hwmon2)", "nvme Sensor 1", "x86_pkg_temp");
        assertThat(sample.errors()).isNull();
    }

    @Test
    void a_virtual_machine_without_sensors_reports_no_temperatures_and_no_error() throws Exception {
        ProcFs fs = Fixtures.copy("vm-6.18", scratch);
        Sampler sampler = sampler(fs);
        advance(fs);

        Metrics sample = sampler.sample(1, INTERVAL, null);

        assertThat(sample.temperatures()).isNull();
        assertThat(sample.errors()).isNull();
        assertThat(sample.pressure()).isEqualTo(new Pressure(1.99, 0.0, 0.0, 0.0, 0.0));
        assertThat(sample.diskIo()).extracting(DiskIo::device, DiskIo::mounts).containsExactly(tuple("vda", List.of("/")));
    }

    @Test
    void a_failing_collector_is_named_and_the_others_still_report() throws Exception {
        ProcFs fs = Fixtures.copy("vm-6.18", scratch);
        Sampler sampler = sampler(fs);
        Files.delete(fs.resolve("proc/meminfo"));

        Metrics sample = sampler.sample(2, INTERVAL, null);

        assertThat(sample.memory()).isNull();
        assertThat(sample.errors()).extracting(CollectorError::collector).containsExactly("memory");
        assertThat(sample.cpu()).isNotNull();
        assertThat(sample.disks()).isNotEmpty();
        assertThat(sample.network()).isNotEmpty();
    }

    @Test
    void a_change_in_the_number_of_cpus_skips_one_cpu_reading_instead_of_inventing_one() throws Exception {
        ProcFs fs = Fixtures.copy("vm-6.18", scratch);
        Sampler sampler = sampler(fs);
        Files.write(fs.resolve("proc/stat"), Files.readAllBytes(Fixtures.ROOT.resolve("server-composed/proc/stat")));

        Metrics changed = sampler.sample(3, INTERVAL, null);
        Files.write(fs.resolve("proc/stat"), Files.readAllBytes(Fixtures.ROOT.resolve("server-composed/proc/stat.next")));
        Metrics next = sampler.sample(4, INTERVAL, null);

        assertThat(changed.cpu()).isNull();
        assertThat(changed.errors()).extracting(CollectorError::message)
                .containsExactly("the number of CPUs changed to 4; usage resumes next sample");
        assertThat(next.cpu().perCorePercent()).hasSize(4);
    }

    @Test
    void samples_of_this_machine_are_valid_and_complete() throws IOException {
        Sampler sampler = Sampler.forHost(ProcFs.host(), Clock.systemUTC(), true, java.nio.file.Path.of("/run/dbus/system_bus_socket"));

        Metrics sample = sampler.sample(1, INTERVAL, null);

        assertThat(sample.errors()).as("errors").isNull();
        assertThat(sample.cpu().perCorePercent()).hasSize(Runtime.getRuntime().availableProcessors());
        assertThat(sample.memory().totalBytes()).isPositive();
        assertThat(sample.disks()).extracting(DiskUsage::mount).contains("/").doesNotHaveDuplicates();
        assertThat(sample.network()).isNotEmpty();
        assertThat(sample.uptimeSeconds()).isPositive();
        assertThat(List.of(sampler.lastTimings().split(", "))).hasSize(10);
    }
}
