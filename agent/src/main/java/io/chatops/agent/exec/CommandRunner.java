package io.chatops.agent.exec;

import io.chatops.agent.log.Log;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs the hub's commands with {@code /bin/sh -c} as the agent's own user, stdin closed, with a
 * timeout that kills the whole process tree, output capped per stream and optionally streamed,
 * at most {@link #MAX_CONCURRENT} at once. Refuses everything when disabled and anything the
 * allow-list does not match. The agent's own settings ({@code CHATOPS_*}, among them the API key)
 * are removed from the commands' environment.
 */
public final class CommandRunner {
    /** A runaway {@code yes} must not fill the agent's heap or the hub's database. */
    static final int MAX_OUTPUT_BYTES = 1 << 20;
    /** Enough for real work in parallel; more would let one hub fork-bomb a server through the agent. */
    static final int MAX_CONCURRENT = 8;
    /** Streamed output is sent at most this often per stream, so a chatty command costs few frames. */
    static final Duration STREAM_INTERVAL = Duration.ofMillis(100);

    private static final Log LOG = Log.named("exec");

    private final boolean enabled;
    private final Optional<Pattern> allow;
    private final Clock clock;
    private final Map<String, RunningCommand> running = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "exec");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "exec-stream");
        thread.setDaemon(true);
        return thread;
    });

    public CommandRunner(boolean enabled, Optional<Pattern> allow, Clock clock) {
        this.enabled = enabled;
        this.allow = allow;
        this.clock = clock;
    }

    /** Starts {@code command}; {@code reply} gets its streamed output and exactly one response. */
    public void run(Command command, Consumer<Message> reply) {
        if (!enabled) {
            reply.accept(refusal(command, CommandResponse.ErrorCode.EXEC_DISABLED,
                    "remote commands are disabled on this agent (-disable-exec)"));
            return;
        }
        if (allow.isPresent() && !allow.get().matcher(command.command()).matches()) {
            LOG.warn("refused command %s: it does not match -exec-allow", command.id());
            reply.accept(refusal(command, CommandResponse.ErrorCode.NOT_ALLOWED,
                    "the command does not match this agent's -exec-allow pattern"));
            return;
        }
        RunningCommand run;
        synchronized (running) {
            if (running.size() >= MAX_CONCURRENT) {
                reply.accept(refusal(command, CommandResponse.ErrorCode.BUSY,
                        MAX_CONCURRENT + " commands are already running on this agent"));
                return;
            }
            if (running.containsKey(command.id())) {
                reply.accept(refusal(command, CommandResponse.ErrorCode.BUSY,
                        "a command with id " + command.id() + " is already running"));
                return;
            }
            run = new RunningCommand(command, reply, clock, threads, flusher, () -> running.remove(command.id()));
            running.put(command.id(), run);
        }
        LOG.info("running command %s (timeout %d s)", command.id(), command.timeoutSeconds());
        run.start();
    }

    /** Kills the command with this id, if it still runs; its response then says {@code cancelled}. */
    public void cancel(String id) {
        RunningCommand run = running.get(id);
        if (run != null) {
            LOG.info("cancelling command %s", id);
            run.cancel();
        }
    }

    int runningCount() {
        return running.size();
    }

    private static CommandResponse refusal(Command command, CommandResponse.ErrorCode code, String message) {
        return CommandResponse.failed(command.id(), code, message, "", "", 0, false);
    }
}
