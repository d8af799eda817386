package io.chatops.agent.processes;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.agent.metrics.ProcFs;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The busiest processes of this machine, with real processes made busy for the test. */
class TopProcessesTest {
    private final TopProcesses top = new TopProcesses(ProcFs.host(), Clock.systemUTC(), Duration.ofMillis(300));

    @Test
    void a_process_that_spins_is_among_the_busiest_by_cpu_and_one_that_holds_memory_is_listed_with_it() throws Exception {
        Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done", "spinner-for-the-test").start();
        // dd holds its block in memory: 160 MiB resident while it waits for input that never comes.
        Process holder = new ProcessBuilder("dd", "if=/dev/stdin", "of=/dev/null", "bs=160M", "count=1", "iflag=fullblock").start();
        holder.getOutputStream().write(new byte[120 << 20]);
        holder.getOutputStream().flush();
        try {
            Thread.sleep(200);
            ProcessList byCpu = top.take(new ProcessesRequest("p-1", ProcessesRequest.Sort.CPU, 5));
            // By memory the holder need not lead: on a busy machine (a build with several JVMs) bigger processes run.
            ProcessList byMemory = top.take(new ProcessesRequest("p-2", ProcessesRequest.Sort.MEMORY, ProcessesRequest.MAX_LIMIT));

            assertThat(byCpu.id()).isEqualTo("p-1");
            assertThat(byCpu.processes()).hasSize(5);
            assertThat(byCpu.total()).isGreaterThan(5);
            assertThat(byCpu.windowMillis()).isBetween(300, 2_000);
            // Among the first: another process may spin as hard in the same half second (a compiler thread of the build).
            ProcessList.ProcessInfo first = byCpu.processes().stream().filter(p -> p.pid() == spinner.pid()).findFirst()
                    .orElseThrow(() -> new AssertionError("the spinner is not among the 5 busiest: " + byCpu.processes()));
            // One core, give or take a clock tick (10 ms) in a 300 ms window: /proc counts CPU time in ticks, as top shows it.
            assertThat(first.cpuPercent()).isBetween(50.0, 110.0);
            assertThat(first.user()).isEqualTo(System.getProperty("user.name"));
            assertThat(first.command()).isEqualTo("sh -c while :; do :; done spinner-for-the-test");
            assertThat(byCpu.processes()).extracting(ProcessList.ProcessInfo::cpuPercent).isSortedAccordingTo((a, b) -> Double.compare(b, a));

            ProcessList.ProcessInfo biggest = byMemory.processes().stream().filter(p -> p.pid() == holder.pid()).findFirst().orElseThrow();
            assertThat(biggest.memoryBytes()).as("dd's buffer, resident").isGreaterThan(100L << 20);
            assertThat(byMemory.processes()).extracting(ProcessList.ProcessInfo::memoryBytes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        } finally {
            spinner.destroyForcibly();
            holder.destroyForcibly();
        }
    }

    @Test
    void kernel_threads_show_their_name_and_every_field_is_within_the_protocol() throws Exception {
        ProcessList all = top.take(new ProcessesRequest("p-3", ProcessesRequest.Sort.MEMORY, 100));

        assertThat(all.processes()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.command()).isNotBlank().doesNotContain("\n", "\0");
            assertThat(p.command().length()).isLessThanOrEqualTo(ProcessList.ProcessInfo.MAX_COMMAND);
        });
    }

    @Test
    void a_stat_line_is_read_past_a_command_name_with_spaces_and_parentheses() {
        String line = "4121 (my (odd) name) S 1 4121 4121 0 -1 4194560 2300 0 0 0 1500 250 0 0 20 0 4 0 98765 1073741824 65536 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);

        ProcStat stat = ProcStat.parse(bytes, bytes.length);

        assertThat(stat).isEqualTo(new ProcStat(4121, "my (odd) name", 1750, 98765, 65536));
        assertThat(ProcStat.parse(bytes, 30)).as("cut short").isNull();
        assertThat(ProcStat.parse(new byte[0], 0)).isNull();
        for (String garbage : List.of("x", "1 (a", ")(", "1 () S")) {
            byte[] g = garbage.getBytes(StandardCharsets.US_ASCII);
            assertThat(ProcStat.parse(g, g.length)).as(garbage).isNull();
        }
    }
}
