package io.chatops.hub.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed sign-ins per username and per source address: {@link #MAX_FAILURES} in
 * {@link #WINDOW}, then 429 until the oldest failure ages out. Kept in memory: a restart forgets,
 * which costs an attacker a restart per ten guesses. The map is pruned so it cannot grow without bound.
 */
public final class LoginLimiter {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** Beyond this many tracked names and addresses, the stalest are forgotten first. */
    static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    public LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    public boolean blocked(String username, String address) {
        return count("user:" + username) >= MAX_FAILURES || count("ip:" + address) >= MAX_FAILURES;
    }

    public void failed(String username, String address) {
        if (failures.size() > MAX_TRACKED) {
            failures.clear(); // crude, but bounded: an attacker filling the map only resets it
        }
        record("user:" + username);
        record("ip:" + address);
    }

    private void record(String key) {
        ArrayDeque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.millis());
        }
    }

    private int count(String key) {
        ArrayDeque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        long oldest = clock.millis() - WINDOW.toMillis();
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() < oldest) {
                times.removeFirst();
            }
            return times.size();
        }
    }
}
