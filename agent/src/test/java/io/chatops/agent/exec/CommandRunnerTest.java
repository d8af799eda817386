package io.chatops.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.Command;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
    @TempDir
    Path dir;

    private final CommandRunner runner = new CommandRunner(true, Optional.empty(), Clock.systemUTC());
    private final List<Run> runs = new ArrayList<>();

    /** The replies to one command: streamed output, then the final response. */
    static final class Run {
        final List<Message> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<CommandResponse> response = new CompletableFuture<>();

        void accept(Message message) {
            messages.add(message);
            if (message instanceof CommandResponse) {
                response.complete((CommandResponse) message);
            }
        }

        CommandResponse await() throws Exception {
            return response.get(60, TimeUnit.SECONDS);
        }

        List<CommandOutput> chunks() {
            return messages.stream().filter(m -> m instanceof CommandOutput).map(m -> (CommandOutput) m)
                    .collect(Collectors.toList());
        }
    }

    private Run run(CommandRunner on, String id, String shell, int timeoutSeconds, boolean stream) {
        Run run = new Run();
        runs.add(run);
        on.run(new Command(id, shell, timeoutSeconds, stream), run::accept);
        return run;
    }

    private Run run(String shell) {
        return run(runner, "c-" + runs.size(), shell, 30, false);
    }

    @AfterEach
    void cancelLeftovers() {
        for (int i = 0; i < runs.size(); i++) {
            runner.cancel("c-" + i);
        }
    }

    @Test
    void runs_with_sh_and_captures_exit_code_stdout_and_stderr() throws Exception {
        CommandResponse response = run("echo hello; echo oops >&2; exit 3").await();

        assertThat(response.exitCode()).isEqualTo(3);
        assertThat(response.stdout()).isEqualTo("hello\n");
        assertThat(response.stderr()).isEqualTo("oops\n");
        assertThat(response.error()).isNull();
        assertThat(response.timedOut()).isFalse();
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void stdin_is_closed_so_a_reading_command_does_not_hang() throws Exception {
        CommandResponse response = run("cat; echo done").await();

        assertThat(response.stdout()).isEqualTo("done\n");
    }

    @Test
    void the_agent_settings_and_key_are_not_in_the_command_environment() throws Exception {
        assertThat(System.getenv("CHATOPS_API_KEY")).as("set by the build for this test").isNotBlank();

        CommandResponse response = run("env").await();

        assertThat(response.stdout()).doesNotContain("CHATOPS_").contains("PATH=");
    }

    @Test
    void timeout_kills_the_whole_process_tree() throws Exception {
        Path pids = dir.resolve("pids");
        CommandResponse response = run(runner, "c-t", "sleep 300 & echo $! > " + pids + "; sh -c 'sleep 301 & wait' & wait",
                1, false).await();

        assertThat(response.timedOut()).isTrue();
        long child = Long.parseLong(Files.readString(pids).trim());
        assertThat(running(child)).as("the backgrounded sleep 300").isFalse();
        assertThat(ProcessHandle.current().descendants().filter(p -> running(p.pid()))
                .map(p -> p.info().commandLine().orElse("")).filter(cmd -> cmd.contains("sleep 30"))).isEmpty();
    }

    /** Alive and not a zombie: a killed process lingers as a zombie until something reaps it. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    @Test
    void output_is_capped_per_stream_and_flagged_truncated() throws Exception {
        CommandResponse response = run("head -c 3000000 /dev/zero | tr '\\0' a").await();

        assertThat(response.truncated()).isTrue();
        // 1 MiB was captured; the final frame keeps as much of it as one frame holds.
        assertThat(response.stdout().length()).isBetween(CommandRunner.MAX_OUTPUT_BYTES - 16 * 1024,
                CommandRunner.MAX_OUTPUT_BYTES);
        assertThat(response.stdout().chars().allMatch(c -> c == 'a')).isTrue();
        assertThat(new MessageCodec().encode(response).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(MessageCodec.MAX_FRAME_BYTES);
    }

    @Test
    void two_full_streams_are_shortened_to_fit_one_frame() throws Exception {
        CommandResponse response = run("head -c 2000000 /dev/zero | tr '\\0' o; head -c 2000000 /dev/zero | tr '\\0' e >&2")
                .await();

        assertThat(response.truncated()).isTrue();
        assertThat(response.stdout().length()).isGreaterThan(400_000);
        assertThat(response.stderr().length()).isGreaterThan(400_000);
        assertThat(response.stdout().chars().allMatch(c -> c == 'o')).isTrue();
        assertThat(new MessageCodec().encode(response).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(MessageCodec.MAX_FRAME_BYTES);
    }

    @Test
    void streams_output_while_the_command_runs() throws Exception {
        Run run = run(runner, "c-s", "echo one; sleep 1; echo two >&2; sleep 1; echo three", 30, true);

        CommandResponse response = run.await();

        List<CommandOutput> chunks = run.chunks();
        assertThat(chunks).extracting(CommandOutput::data).containsExactly("one\n", "two\n", "three\n");
        assertThat(chunks).extracting(c -> c.stream().name()).containsExactly("STDOUT", "STDERR", "STDOUT");
        assertThat(run.messages.get(run.messages.size() - 1)).isEqualTo(response);
        assertThat(response.stdout()).isEqualTo("one\nthree\n");
    }

    @Test
    void streamed_chunks_never_split_a_character() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC

        assertThat(OutputCapture.completeUtf8Prefix(euro)).isEqualTo(4);
        assertThat(OutputCapture.completeUtf8Prefix(java.util.Arrays.copyOf(euro, 3))).isEqualTo(1);
        assertThat(OutputCapture.completeUtf8Prefix(java.util.Arrays.copyOf(euro, 2))).isEqualTo(1);
        assertThat(OutputCapture.completeUtf8Prefix(java.util.Arrays.copyOf(euro, 1))).isEqualTo(1);
    }

    @Test
    void cancel_kills_the_command_and_says_cancelled() throws Exception {
        Run run = run(runner, "c-x", "echo started; sleep 30", 60, false);
        Thread.sleep(300);

        runner.cancel("c-x");
        CommandResponse response = run.await();

        assertThat(response.error().code()).isEqualTo(CommandResponse.ErrorCode.CANCELLED);
        assertThat(response.exitCode()).isNull();
        assertThat(response.stdout()).isEqualTo("started\n");
    }

    @Test
    void at_most_eight_commands_run_at_once() throws Exception {
        List<Run> sleeping = new ArrayList<>();
        for (int i = 0; i < CommandRunner.MAX_CONCURRENT; i++) {
            sleeping.add(run(runner, "c-" + i, "sleep 30", 60, false));
        }
        for (int i = 0; i < CommandRunner.MAX_CONCURRENT; i++) {
            runs.add(new Run()); // so that cleanup cancels c-0 … c-7
        }

        CommandResponse ninth = run(runner, "c-busy", "echo no", 60, false).await();

        assertThat(ninth.error().code()).isEqualTo(CommandResponse.ErrorCode.BUSY);
        assertThat(ninth.error().message()).isEqualTo("8 commands are already running on this agent");
        for (int i = 0; i < CommandRunner.MAX_CONCURRENT; i++) {
            runner.cancel("c-" + i);
        }
        for (Run r : sleeping) {
            assertThat(r.await().error().code()).isEqualTo(CommandResponse.ErrorCode.CANCELLED);
        }
        assertThat(runner.runningCount()).isZero();
        assertThat(run(runner, "c-after", "echo yes", 60, false).await().stdout()).isEqualTo("yes\n");
    }

    @Test
    void the_allow_list_must_match_the_whole_command() throws Exception {
        CommandRunner strict = new CommandRunner(true, Optional.of(Pattern.compile("uptime|df -h")), Clock.systemUTC());

        CommandResponse refused = run(strict, "a-1", "uptime; rm -rf /tmp/x", 10, false).await();
        CommandResponse allowed = run(strict, "a-2", "df -h", 10, false).await();

        assertThat(refused.error().code()).isEqualTo(CommandResponse.ErrorCode.NOT_ALLOWED);
        assertThat(refused.exitCode()).isNull();
        assertThat(allowed.error()).isNull();
        assertThat(allowed.exitCode()).isZero();
    }

    @Test
    void a_disabled_runner_refuses_everything() throws Exception {
        CommandRunner disabled = new CommandRunner(false, Optional.empty(), Clock.systemUTC());

        CommandResponse response = run(disabled, "d-1", "echo hi", 10, false).await();

        assertThat(response.error().code()).isEqualTo(CommandResponse.ErrorCode.EXEC_DISABLED);
        assertThat(response.stdout()).isEmpty();
    }
}
