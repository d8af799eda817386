package io.chatops.hub.live;

import io.chatops.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What was pushed on each command's topic, kept while the command runs and briefly after: a
 * browser learns a command's id only when it started, so it subscribes a moment late and is sent
 * what it missed first. Bounded per command in bytes of UTF-8 frames (output is merged, so not in
 * messages) and in number of commands; a command whose output outgrows its share is not replayed
 * at all (never a replay with a hole in it), and the browser then reads the complete output from
 * the command's record.
 */
final class CommandReplays {
    static final int MAX_BYTES_PER_COMMAND = 256 * 1024;
    static final int MAX_COMMANDS = 128;
    static final Duration KEEP_AFTER_FINISH = Duration.ofSeconds(30);
    /**
     * Longer than any command may run ({@link Command#MAX_TIMEOUT_SECONDS}, a day) plus the time its
     * answer may take: a replay is dropped early only when its command's end was never seen.
     */
    static final Duration KEEP_AT_MOST = Duration.ofSeconds(Command.MAX_TIMEOUT_SECONDS).plusHours(1);
    private static final String OUTPUT = "command_output";
    private static final String FINISHED = "command_finished";

    /**
     * One command's messages, consecutive output of one stream merged into one message (the agent
     * sends a piece every 100 ms). Locked while recording and while replaying, so they never interleave.
     */
    private static final class Replay {
        private final List<Map<String, Object>> messages = new ArrayList<>();
        private final long createdAt;
        private long bytes;
        private boolean overflowed;
        private long finishedAt;

        private Replay(long createdAt) {
            this.createdAt = createdAt;
        }

        /** Keeps {@code message}, which is {@code bytes} long as a UTF-8 frame. */
        void record(Map<String, Object> message, int frameBytes, long now) {
            if (FINISHED.equals(message.get("type"))) {
                finishedAt = now;
            }
            if (overflowed) {
                return;
            }
            bytes += frameBytes;
            if (bytes > MAX_BYTES_PER_COMMAND) {
                overflowed = true;
                messages.clear();
                return;
            }
            Map<String, Object> last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
            if (last != null && OUTPUT.equals(message.get("type")) && OUTPUT.equals(last.get("type"))
                    && Objects.equals(last.get("stream"), message.get("stream"))) {
                Map<String, Object> merged = new LinkedHashMap<>(last);
                merged.put("data", String.valueOf(last.get("data")) + message.get("data"));
                messages.set(messages.size() - 1, merged);
            } else {
                messages.add(message);
            }
        }

        private synchronized boolean finished() {
            return finishedAt != 0;
        }

        private boolean expired(long now) {
            return (finishedAt != 0 && now - finishedAt > KEEP_AFTER_FINISH.toMillis()) || now - createdAt > KEEP_AT_MOST.toMillis();
        }
    }

    private final Map<String, Replay> byCommand = new ConcurrentHashMap<>();
    private final Clock clock;

    CommandReplays(Clock clock) {
        this.clock = clock;
    }

    /** Keeps {@code message} (sent as {@code frame}) and runs {@code send}, both under the command's lock. */
    void publish(String commandId, Map<String, Object> message, String frame, Runnable send) {
        Replay replay = of(commandId);
        int frameBytes = utf8Length(frame);
        synchronized (replay) {
            replay.record(message, frameBytes, clock.millis());
            send.run();
        }
    }

    /** The length of {@code text} in UTF-8, as it goes over the wire, without encoding it. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Runs {@code subscribe}, then hands each message the command's topic carried so far to
     * {@code missed}, under the command's lock: no message is both replayed and pushed, and none is missed.
     */
    void subscribe(String commandId, Runnable subscribe, Consumer<Map<String, Object>> missed) {
        Replay replay = of(commandId);
        synchronized (replay) {
            subscribe.run();
            replay.messages.forEach(missed);
        }
    }

    /** The command's replay, made when first asked for (by the first frame or the first subscriber). */
    private Replay of(String commandId) {
        Replay replay = byCommand.get(commandId);
        if (replay != null) {
            return replay;
        }
        if (byCommand.size() >= MAX_COMMANDS) {
            expire();
        }
        if (byCommand.size() >= MAX_COMMANDS) {
            // Full of live commands: let go of a finished one first, the oldest running one only if none has finished.
            byCommand.entrySet().stream()
                    .min(Comparator.comparing((Map.Entry<String, Replay> e) -> !e.getValue().finished())
                            .thenComparingLong(e -> e.getValue().createdAt))
                    .ifPresent(evicted -> byCommand.remove(evicted.getKey()));
        }
        return byCommand.computeIfAbsent(commandId, id -> new Replay(clock.millis()));
    }

    void expire() {
        long now = clock.millis();
        byCommand.values().removeIf(replay -> {
            synchronized (replay) {
                return replay.expired(now);
            }
        });
    }

    /** How many commands have a replay now: for tests. */
    int size() {
        return byCommand.size();
    }
}
