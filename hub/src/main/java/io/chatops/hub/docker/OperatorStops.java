package io.chatops.hub.docker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers that an operator stopped through the hub and that have not been seen running since,
 * by server: a container stopped on purpose is not an incident, so container alert rules skip it.
 * A stop counts from the moment it is asked for: the agent's report of the exited container may
 * arrive before the stop's answer does. Until that answer, a report that still shows the container
 * running (sent before the stop ran) does not end it. Kept in memory: after a hub restart such a
 * container counts as broken again until it runs.
 */
public final class OperatorStops {
    /** Names per server at most: a server runs dozens of containers, not thousands. */
    static final int MAX_PER_SERVER = 1_000;

    /** Per server, per container name: whether the agent confirmed the stop. */
    private final Map<String, Map<String, Boolean>> byServer = new ConcurrentHashMap<>();

    public boolean stoppedOnPurpose(String serverId, String containerName) {
        Map<String, Boolean> names = byServer.get(serverId);
        return names != null && names.containsKey(containerName);
    }

    /** A stop was asked for. */
    void stopping(String serverId, String containerName) {
        Map<String, Boolean> names = byServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>());
        if (names.size() < MAX_PER_SERVER) {
            names.putIfAbsent(containerName, false);
        }
    }

    /** The agent stopped it. */
    void stopped(String serverId, String containerName) {
        Map<String, Boolean> names = byServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>());
        if (names.size() < MAX_PER_SERVER || names.containsKey(containerName)) {
            names.put(containerName, true);
        }
    }

    /** The stop did not happen (refused, offline, no answer): what was asked counts for nothing. */
    void stopFailed(String serverId, String containerName) {
        Map<String, Boolean> names = byServer.get(serverId);
        if (names != null) {
            names.remove(containerName, false);
        }
    }

    /** Started or restarted through the hub. */
    void started(String serverId, String containerName) {
        Map<String, Boolean> names = byServer.get(serverId);
        if (names != null) {
            names.remove(containerName);
        }
    }

    /** Reported running: after a confirmed stop, it was started again some other way. */
    void reportedRunning(String serverId, String containerName) {
        Map<String, Boolean> names = byServer.get(serverId);
        if (names != null) {
            names.remove(containerName, true);
        }
    }
}
