package io.chatops.agent.exec;

import io.chatops.protocol.Command;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.OutputStreamName;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One command from start to its one response. */
final class RunningCommand {
    /** After the kill, output pipes held open by an escaped grandchild are given this long, then closed. */
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);
    /** A streamed chunk is sent early when this much is waiting, keeping frames well under the limit. */
    private static final int MAX_CHUNK_BYTES = 256 * 1024;
    /** The final frame's limit, less room for everything but the output. */
    private static final int FRAME_BUDGET_BYTES = MessageCodec.MAX_FRAME_BYTES - 8 * 1024;
    private static final MessageCodec CODEC = new MessageCodec();

    private final Command command;
    private final Consumer<Message> reply;
    private final Clock clock;
    private final ExecutorService threads;
    private final ScheduledExecutorService flusher;
    private final Runnable onDone;
    private final OutputCapture stdout;
    private final OutputCapture stderr;
    private final CountDownLatch streamsDone = new CountDownLatch(2);
    private volatile boolean cancelled;
    private volatile Process process;

    RunningCommand(Command command, Consumer<Message> reply, Clock clock, ExecutorService threads,
            ScheduledExecutorService flusher, Runnable onDone) {
        this.command = command;
        this.reply = reply;
        this.clock = clock;
        this.threads = threads;
        this.flusher = flusher;
        this.onDone = onDone;
        this.stdout = new OutputCapture(CommandRunner.MAX_OUTPUT_BYTES, command.stream());
        this.stderr = new OutputCapture(CommandRunner.MAX_OUTPUT_BYTES, command.stream());
    }

    void start() {
        threads.execute(this::runToEnd);
    }

    void cancel() {
        cancelled = true;
        Process running = process;
        if (running != null) {
            ProcessTree.kill(running.toHandle());
        }
    }

    private void runToEnd() {
        Instant started = clock.instant();
        try {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command.command())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            scrub(builder.environment());
            try {
                process = builder.start();
            } catch (IOException e) {
                finish(CommandResponse.failed(command.id(), CommandResponse.ErrorCode.SPAWN_FAILED,
                        "cannot start /bin/sh: " + e.getMessage(), "", "", elapsed(started), false));
                return;
            }
            if (cancelled) {
                ProcessTree.kill(process.toHandle());
            }
            threads.execute(() -> pump(process.getInputStream(), stdout));
            threads.execute(() -> pump(process.getErrorStream(), stderr));
            ScheduledFuture<?> streaming = command.stream()
                    ? flusher.scheduleAtFixedRate(() -> flush(false), CommandRunner.STREAM_INTERVAL.toMillis(),
                            CommandRunner.STREAM_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                    : null;

            boolean exited = process.waitFor(command.timeoutSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                ProcessTree.kill(process.toHandle());
                process.waitFor();
            }
            if (!streamsDone.await(DRAIN_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(process.getInputStream());
                closeQuietly(process.getErrorStream());
                streamsDone.await(DRAIN_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (streaming != null) {
                streaming.cancel(false);
            }
            flush(true);
            finish(response(exited, started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTree.kill(process.toHandle());
            finish(CommandResponse.failed(command.id(), CommandResponse.ErrorCode.CANCELLED, "the agent is stopping",
                    stdout.text(), stderr.text(), elapsed(started), true));
        }
    }

    private CommandResponse response(boolean exited, Instant started) {
        boolean truncated = stdout.truncated() || stderr.truncated();
        long duration = elapsed(started);
        if (cancelled) {
            return fitToFrame(CommandResponse.failed(command.id(), CommandResponse.ErrorCode.CANCELLED,
                    "cancelled", stdout.text(), stderr.text(), duration, truncated));
        }
        return fitToFrame(new CommandResponse(command.id(), process.exitValue(), stdout.text(), stderr.text(), duration,
                !exited, truncated, null));
    }

    /**
     * The final response must fit one frame, and a full stream with its JSON escaping does not:
     * both streams are shortened in proportion (keeping their beginnings) until the frame fits,
     * and {@code truncated} is set. Streamed output is not affected.
     */
    static CommandResponse fitToFrame(CommandResponse response) {
        CommandResponse fitted = response;
        int size;
        while ((size = CODEC.encode(fitted).getBytes(StandardCharsets.UTF_8).length) > FRAME_BUDGET_BYTES) {
            double keep = (double) FRAME_BUDGET_BYTES / size;
            fitted = new CommandResponse(fitted.id(), fitted.exitCode(), head(fitted.stdout(), keep),
                    head(fitted.stderr(), keep), fitted.durationMs(), fitted.timedOut(), true, fitted.error());
        }
        return fitted;
    }

    /** The first {@code share} of {@code text}, less a margin so that every round makes progress. */
    private static String head(String text, double share) {
        return text.substring(0, Math.max(0, (int) (text.length() * share) - 512));
    }

    private void pump(InputStream in, OutputCapture capture) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                capture.write(buffer, n);
                if (capture.unsentBytes() >= MAX_CHUNK_BYTES) {
                    flush(false);
                }
            }
        } catch (IOException e) {
            // the pipe was closed under us after the command ended: what was read is kept
        } finally {
            streamsDone.countDown();
        }
    }

    private synchronized void flush(boolean everything) {
        send(OutputStreamName.STDOUT, stdout.takeUnsent(everything));
        send(OutputStreamName.STDERR, stderr.takeUnsent(everything));
    }

    private void send(OutputStreamName stream, String data) {
        if (data != null && !data.isEmpty()) {
            reply.accept(new CommandOutput(command.id(), stream, data));
        }
    }

    private void finish(CommandResponse response) {
        onDone.run();
        reply.accept(response);
    }

    private long elapsed(Instant started) {
        return Math.max(0, Duration.between(started, clock.instant()).toMillis());
    }

    /** The agent's settings, the API key among them, are none of a command's business. */
    private static void scrub(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("CHATOPS_"));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
