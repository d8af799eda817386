package io.chatops.hub.agents;

import io.chatops.protocol.Containers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** The latest container list each server's agent reported; kept while the agent is away, one entry per server. */
public final class ContainerReports {
    private final Map<String, Containers> byServer = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Containers>> listeners = new CopyOnWriteArrayList<>();

    /** Tells {@code listener} of every report, on the agent connection's thread: it must hand the work on. */
    public void whenReported(BiConsumer<String, Containers> listener) {
        listeners.add(listener);
    }

    /** The latest list of the server's containers, or empty when its agent never reported one since the hub started. */
    public Optional<Containers> latest(String serverId) {
        return Optional.ofNullable(byServer.get(serverId));
    }

    void reported(String serverId, Containers list) {
        byServer.put(serverId, list);
        listeners.forEach(listener -> listener.accept(serverId, list));
    }

    void forget(String serverId) {
        byServer.remove(serverId);
    }
}
