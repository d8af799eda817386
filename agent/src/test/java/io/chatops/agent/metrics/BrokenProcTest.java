package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chatops.protocol.CollectorError;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every /proc file a collector reads, gone or full of garbage for one sample: the sample is still a
 * valid message, whatever broke is named in its {@code errors} or reported within its bounds, the
 * other collectors are untouched, and once the file is sane again the figures are those of a host
 * that never broke (no rate computed across the garbage).
 */
class BrokenProcTest {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final List<String> FILES = List.of("proc/stat", "proc/meminfo", "proc/loadavg", "proc/uptime", "proc/net/dev",
            "proc/self/mountinfo", "proc/diskstats", "proc/net/snmp", "proc/net/sockstat", "proc/pressure/memory");

    @TempDir
    Path scratch;

    /** Ways a file can go wrong, each made from its sane content. */
    enum Garbage {
        EMPTY(sane -> new byte[0]),
        RANDOM_BYTES(sane -> {
            byte[] noise = new byte[4096];
            new Random(42).nextBytes(noise);
            return noise;
        }),
        CUT_IN_HALF(sane -> java.util.Arrays.copyOf(sane, sane.length / 2)),
        HUGE_NUMBERS(sane -> text(sane).replaceAll("[0-9]+", "99999999999999999999999").getBytes(StandardCharsets.UTF_8)),
        NEGATIVE_NUMBERS(sane -> text(sane).replaceAll("(?<![0-9.])([0-9]+)", "-$1").getBytes(StandardCharsets.UTF_8)),
        SMALLER_NUMBERS(sane -> text(sane).replaceAll("[0-9]+(?=[0-9])", "").getBytes(StandardCharsets.UTF_8)),
        NUL_BYTES(sane -> text(sane).replace(' ', '\0').getBytes(StandardCharsets.UTF_8)),
        NO_LINE_BREAKS(sane -> text(sane).replace('\n', ' ').getBytes(StandardCharsets.UTF_8)),
        FIVE_MIB(sane -> ("x".repeat(1023) + "\n").repeat(5 * 1024).getBytes(StandardCharsets.UTF_8));

        final UnaryOperator<byte[]> make;

        Garbage(UnaryOperator<byte[]> make) {
            this.make = make;
        }

        private static String text(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static Stream<Arguments> brokenFiles() {
        List<Arguments> cases = new ArrayList<>();
        for (String file : FILES) {
            if (!file.equals("proc/stat")) { // read when the agent starts: it does not start without it
                cases.add(Arguments.of(file, null)); // gone
            }
            for (Garbage garbage : Garbage.values()) {
                cases.add(Arguments.of(file, garbage));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("brokenFiles")
    void a_broken_proc_file_costs_one_sample_of_its_collector_and_nothing_else(String file, Garbage garbage) throws Exception {
        Metrics reference = twoSamplesOfASaneHost(scratch.resolve("reference"));
        ProcFs fs = Fixtures.copy("vm-6.18", scratch.resolve("host"));
        Fixtures.Ticks ticks = new Fixtures.Ticks();
        Path path = fs.resolve(file);
        byte[] sane = Files.readAllBytes(path);
        if (garbage == null) {
            Files.delete(path); // before the agent starts: a regular file stays readable through a descriptor opened before
        }
        Sampler sampler = Sampler.forHost(fs, SamplerTest.CLOCK, ticks, SamplerTest.fixedSpace(fs), Duration.ofSeconds(1));
        if (garbage != null) {
            assertThat(sample(sampler, ticks, 1).errors()).isNull();
            Files.write(path, garbage.make.apply(sane)); // in place, as the kernel changes a /proc file under an open descriptor
        }
        Metrics broken = sample(sampler, ticks, 2);
        assertThat(CODEC.decode(CODEC.encode(broken))).as("a valid message").isEqualTo(broken);
        List<String> failed = broken.errors() == null ? List.of() : broken.errors().stream().map(CollectorError::collector).toList();
        assertThat(failed).as("only the collector of %s may fail", file).isSubsetOf(collectorsOf(file));
        // A part left out is one whose collector says it failed: an empty list is not passed off as "no disks".
        assertThat(broken.disks().isEmpty() && !failed.contains("disk")).as("disks missing without an error").isFalse();
        assertThat(broken.network().isEmpty() && !failed.contains("network")).as("network missing without an error").isFalse();
        assertThat(broken.tcp() == null && !failed.contains("tcp")).as("TCP missing without an error").isFalse();
        assertThat(broken.pressure() == null && !failed.contains("pressure")).as("pressure missing without an error").isFalse();
        if (!file.equals("proc/self/mountinfo")) {
            assertThat(broken.disks()).isEqualTo(reference.disks());
        }
        if (!file.equals("proc/net/dev")) {
            assertThat(broken.network()).isEqualTo(reference.network());
        }

        Files.write(path, sane);
        sample(sampler, ticks, 3);
        Fixtures.advance(fs);
        Metrics healed = sample(sampler, ticks, 4);
        assertThat(healed.errors()).as("errors once the file is sane again").isNull();
        assertThat(healed.cpu()).isEqualTo(reference.cpu());
        assertThat(healed.memory()).isEqualTo(reference.memory());
        assertThat(healed.uptimeSeconds()).isEqualTo(reference.uptimeSeconds());
        assertThat(healed.network()).isEqualTo(reference.network());
        assertThat(healed.diskIo()).isEqualTo(reference.diskIo());
        assertThat(healed.tcp().established()).isEqualTo(reference.tcp().established());
        assertThat(healed.pressure()).isEqualTo(reference.pressure());
    }

    /** The kernel's own vanishing file: /proc/<pid>/stat of a process that exits while it is open. */
    @Test
    void a_proc_file_that_vanishes_while_open_fails_its_read_and_is_opened_again_next_time() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        ProcFile stat = new ProcFile(Path.of("/proc/" + sleeper.pid() + "/stat"));
        assertThat(stat.read().nextLong()).isEqualTo(sleeper.pid());
        sleeper.destroyForcibly().waitFor();

        assertThat(org.assertj.core.api.Assertions.catchThrowable(stat::read)).isInstanceOf(IOException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(stat::read)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        stat.close();
    }

    private Metrics twoSamplesOfASaneHost(Path dir) throws Exception {
        ProcFs fs = Fixtures.copy("vm-6.18", dir);
        Fixtures.Ticks ticks = new Fixtures.Ticks();
        Sampler sampler = Sampler.forHost(fs, SamplerTest.CLOCK, ticks, SamplerTest.fixedSpace(fs), Duration.ofSeconds(1));
        sample(sampler, ticks, 1);
        Fixtures.advance(fs);
        return sample(sampler, ticks, 2);
    }

    /** A sample five seconds after the last, taken within a few seconds: a parser must not loop on what it reads. */
    private static Metrics sample(Sampler sampler, Fixtures.Ticks ticks, long seq) {
        ticks.advance(SamplerTest.INTERVAL);
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> sampler.sample(seq, SamplerTest.INTERVAL, null));
    }

    private static List<String> collectorsOf(String file) {
        return switch (file) {
            case "proc/stat", "proc/loadavg" -> List.of("cpu");
            case "proc/meminfo" -> List.of("memory");
            case "proc/net/dev" -> List.of("network");
            case "proc/uptime" -> List.of("uptime");
            case "proc/self/mountinfo" -> List.of("disk");
            case "proc/diskstats" -> List.of("disk_io");
            case "proc/net/snmp", "proc/net/sockstat" -> List.of("tcp");
            case "proc/pressure/memory" -> List.of("pressure");
            default -> throw new IllegalArgumentException(file);
        };
    }
}
