package io.chatops.hub.live;

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
 * What was pushed on each {@code command:<id>} topic, kept while the command runs and briefly
 * after: a browser learns a command's id only when it started, so it subscribes a moment late and
 * is sent what it missed first. Bounded per command (in characters; output is merged, so not in
 * messages either) and in number; a command whose output
 * outgrows its share is not replayed at all (never a replay with a hole in it), and the browser
 * then reads the complete output from the command's record.
 */
final class CommandReplays {
    static final int MAX_BYTES_PER_COMMAND = 256 * 1024;
    static final int MAX_COMMANDS = 128;
    static final Duration KEEP_AFTER_FINISH = Duration.ofSeconds(30);
    /** Longer than any command may run (its timeout is at most an hour). */
    static final Duration KEEP_AT_MOST = Duration.ofHours(2);
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

        /** Keeps {@code message}, which is {@code size} characters as a frame. */
        void record(Map<String, Object> message, int size, long now) {
            if (FINISHED.equals(message.get("type"))) {
                finishedAt = now;
            }
            if (overflowed) {
                return;
            }
            bytes += size;
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

        private boolean expired(long now) {
            return (finishedAt != 0 && now - finishedAt > KEEP_AFTER_FINISH.toMillis()) || now - createdAt > KEEP_AT_MOST.toMillis();
        }
    }

    private final Map<String, Replay> byTopic = new ConcurrentHashMap<>();
    private final Clock clock;

    CommandReplays(Clock clock) {
        this.clock = clock;
    }

    static boolean covers(String topic) {
        return topic.startsWith("command:");
    }

    /** Keeps {@code message} ({@code size} characters as a frame) and runs {@code send}, both under the topic's lock. */
    void publish(String topic, Map<String, Object> message, int size, Runnable send) {
        Replay replay = of(topic);
        synchronized (replay) {
            replay.record(message, size, clock.millis());
            send.run();
        }
    }

    /**
     * Runs {@code subscribe}, then hands each message the topic carried so far to {@code missed},
     * under the topic's lock: no message is both replayed and pushed, and none is missed.
     */
    void subscribe(String topic, Runnable subscribe, Consumer<Map<String, Object>> missed) {
        Replay replay = of(topic);
        synchronized (replay) {
            subscribe.run();
            replay.messages.forEach(missed);
        }
    }

    /** The topic's replay, made when first asked for (by the first frame or the first subscriber). */
    private Replay of(String topic) {
        Replay replay = byTopic.get(topic);
        if (replay != null) {
            return replay;
        }
        if (byTopic.size() >= MAX_COMMANDS) {
            expire();
            byTopic.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().createdAt))
                    .ifPresent(oldest -> byTopic.remove(oldest.getKey()));
        }
        return byTopic.computeIfAbsent(topic, t -> new Replay(clock.millis()));
    }

    void expire() {
        long now = clock.millis();
        byTopic.values().removeIf(replay -> {
            synchronized (replay) {
                return replay.expired(now);
            }
        });
    }
}
