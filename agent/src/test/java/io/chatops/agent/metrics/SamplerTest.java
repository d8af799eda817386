package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MessageCodec;
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
        Sampler sampler = Sampler.forHost(fs, CLOCK, fixedSpace(fs), Duration.ofSeconds(1));
        Fixtures.advanceCpu(fs);

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
        Sampler sampler = Sampler.forHost(fs, CLOCK, fixedSpace(fs), Duration.ofSeconds(1));
        Fixtures.advanceCpu(fs);

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
    void a_failing_collector_is_named_and_the_others_still_report() throws Exception {
        ProcFs fs = Fixtures.copy("vm-6.18", scratch);
        Sampler sampler = Sampler.forHost(fs, CLOCK, fixedSpace(fs), Duration.ofSeconds(1));
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
        Sampler sampler = Sampler.forHost(fs, CLOCK, fixedSpace(fs), Duration.ofSeconds(1));
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
        Sampler sampler = Sampler.forHost(ProcFs.host(), Clock.systemUTC());

        Metrics sample = sampler.sample(1, INTERVAL, null);

        assertThat(sample.errors()).as("errors").isNull();
        assertThat(sample.cpu().perCorePercent()).hasSize(Runtime.getRuntime().availableProcessors());
        assertThat(sample.memory().totalBytes()).isPositive();
        assertThat(sample.disks()).extracting(DiskUsage::mount).contains("/").doesNotHaveDuplicates();
        assertThat(sample.network()).isNotEmpty();
        assertThat(sample.uptimeSeconds()).isPositive();
        assertThat(List.of(sampler.lastTimings().split(", "))).hasSize(5);
    }
}
