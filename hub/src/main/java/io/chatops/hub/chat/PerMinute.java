package io.chatops.hub.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most so many events a minute per person (a hub user in the room, a chat identity on Slack or
 * Mattermost): enough to work, too few to flood the room, the hub or the fleet.
 */
final class PerMinute {
    /** People remembered at most before those quiet for a minute are forgotten. */
    static final int MAX_KEYS = 10_000;

    private final int limit;
    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    PerMinute(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    int limit() {
        return limit;
    }

    /** Whether {@code key} may act now; if so, counts it. */
    boolean allow(String key) {
        Instant now = clock.instant();
        Instant minuteAgo = now.minus(Duration.ofMinutes(1));
        if (recent.size() > MAX_KEYS) {
            recent.values().removeIf(times -> {
                synchronized (times) {
                    return times.isEmpty() || times.peekLast().isBefore(minuteAgo);
                }
            });
        }
        Deque<Instant> times = recent.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(minuteAgo)) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }
}
