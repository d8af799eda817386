package io.chatops.hub.docker;

import io.chatops.hub.cluster.Peers;
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
 * With several hub instances, each change is told to the others ({@link Peers}) before the stop is
 * sent, so the instance that holds the agent (and judges its containers) knows it first.
 */
public final class OperatorStops {
    /** Names per server at most: a server runs dozens of containers, not thousands. */
    static final int MAX_PER_SERVER = 1_000;
    static final Duration STALE_REPORTS_FOR = Duration.ofSeconds(10);

    /** Per server, per container name: when the agent confirmed the stop (empty while it is under way). */
    private final Map<String, Map<String, Optional<Instant>>> byServer = new ConcurrentHashMap<>();
    private static final String CHANGED = "docker.stops";

    private final Clock clock;
    private final Peers peers;

    OperatorStops(Clock clock, Peers peers) {
        this.clock = clock;
        this.peers = peers;
        peers.on(CHANGED, (from, body) -> {
            String[] change = body.split("\n", 3);
            if (change.length == 3) {
                apply(change[0], change[1], change[2]);
            }
        });
    }

    public boolean stoppedOnPurpose(String serverId, String containerName) {
        Map<String, Optional<Instant>> names = byServer.get(serverId);
        return names != null && names.containsKey(containerName);
    }

    /** A stop was asked for. */
    void stopping(String serverId, String containerName) {
        change("stopping", serverId, containerName);
    }

    /** The agent stopped it. */
    void stopped(String serverId, String containerName) {
        change("stopped", serverId, containerName);
    }

    /** The stop did not happen (refused, offline, no answer): what was asked counts for nothing. */
    void stopFailed(String serverId, String containerName) {
        change("failed", serverId, containerName);
    }

    /** Started or restarted through the hub. */
    void started(String serverId, String containerName) {
        change("started", serverId, containerName);
    }

    private void change(String what, String serverId, String containerName) {
        apply(what, serverId, containerName);
        peers.broadcast(CHANGED, what + "\n" + serverId + "\n" + containerName);
    }

    private void apply(String what, String serverId, String containerName) {
        switch (what) {
            case "stopping" -> {
                Map<String, Optional<Instant>> names = byServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>());
                if (names.size() < MAX_PER_SERVER) {
                    names.putIfAbsent(containerName, Optional.empty());
                }
            }
            case "stopped" -> {
                Map<String, Optional<Instant>> names = byServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>());
                if (names.size() < MAX_PER_SERVER || names.containsKey(containerName)) {
                    names.put(containerName, Optional.of(clock.instant()));
                }
            }
            case "failed" -> {
                Map<String, Optional<Instant>> names = byServer.get(serverId);
                if (names != null) {
                    names.remove(containerName, Optional.empty());
                }
            }
            case "started" -> {
                Map<String, Optional<Instant>> names = byServer.get(serverId);
                if (names != null) {
                    names.remove(containerName);
                }
            }
            default -> throw new IllegalArgumentException("unknown change of an operator's stop: " + what);
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
