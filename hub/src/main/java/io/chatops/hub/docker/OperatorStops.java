package io.chatops.hub.docker;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers that an operator stopped through the hub and that have not been seen running since,
 * by server: a container stopped on purpose is not an incident, so container alert rules skip it.
 * Kept in memory: after a hub restart such a container counts as broken again until it runs.
 */
public final class OperatorStops {
    /** Names per server at most: a server runs dozens of containers, not thousands. */
    static final int MAX_PER_SERVER = 1_000;

    private final Map<String, Set<String>> byServer = new ConcurrentHashMap<>();

    public boolean stoppedOnPurpose(String serverId, String containerName) {
        Set<String> names = byServer.get(serverId);
        return names != null && names.contains(containerName);
    }

    void stopped(String serverId, String containerName) {
        Set<String> names = byServer.computeIfAbsent(serverId, id -> ConcurrentHashMap.newKeySet());
        if (names.size() < MAX_PER_SERVER) {
            names.add(containerName);
        }
    }

    void started(String serverId, String containerName) {
        Set<String> names = byServer.get(serverId);
        if (names != null) {
            names.remove(containerName);
        }
    }
}
