package io.chatops.hub.docker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers that an operator stopped through the hub and that have not been seen running since,
 * by server: a container stopped on purpose is not an incident, so container alert rules skip it.
 * A stop counts from the moment it is asked for: the agent's report of the exited container may
 * arrive before the stop's answer does. A report that shows the container running ends it only
 * once the stop was answered and {@link #STALE_REPORTS_FOR} has passed: the agent lists its
 * containers while it runs commands, so a listing made just before the stop can arrive just after
 * its answer. Kept in memory: after a hub restart such a container counts as broken again until it runs.
 */
public final class OperatorStops {
    /** Names per server at most: a server runs dozens of containers, not thousands. */
    static final int MAX_PER_SERVER = 1_000;
    static final Duration STALE_REPORTS_FOR = Duration.ofSeconds(10);

    /** Per server, per container name: when the agent confirmed the stop (empty while it is under way). */
    private final Map<String, Map<String, Optional<Instant>>> byServer = new ConcurrentHashMap<>();
    private final Clock clock;

    OperatorStops(Clock clock) {
        this.clock = clock;
    }

    public boolean stoppedOnPurpose(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.get(serverId);
        return names != null && names.containsKey(containerName);
    }

    /** A stop was asked for. */
    void stopping(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>());
        if (names.size() < MAX_PER_SERVER) {
            names.putIfAbsent(containerName, Optional.empty());
        }
    }

    /** The agent stopped it. */
    void stopped(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>());
        if (names.size() < MAX_PER_SERVER || names.containsKey(containerName)) {
            names.put(containerName, Optional.of(clock.instant()));
        }
    }

    /** The stop did not happen (refused, offline, no answer): what was asked counts for nothing. */
    void stopFailed(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.get(serverId);
        if (names != null) {
            names.remove(containerName, Optional.empty());
        }
    }

    /** Started or restarted through the hub. */
    void started(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.get(serverId);
        if (names != null) {
            names.remove(containerName);
        }
    }

    /** Reported running: well after a confirmed stop, it was started again some other way. */
    void reportedRunning(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.get(serverId);
        if (names == null) {
            return;
        }
        Instant now = clock.instant();
        names.computeIfPresent(containerName, (name, confirmed) ->
                confirmed.isPresent() && now.isAfter(confirmed.get().plus(STALE_REPORTS_FOR)) ? null : confirmed);
    }
}
