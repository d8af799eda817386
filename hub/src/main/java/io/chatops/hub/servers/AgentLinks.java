package io.chatops.hub.servers;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the servers feature needs of the agents' links, implemented by the agents feature: whether
 * a server is online, and to end or reconfigure its link when an admin changes the server.
 */
public interface AgentLinks {
    boolean isOnline(String serverId);

    /** Since when the server's agent has been connected, while it is online. */
    Optional<Instant> onlineSince(String serverId);

    /**
     * The inventory the server's agent connected to this hub instance with, as JSON; empty when it is
     * not connected here (the stored one, written shortly after each handshake, tells then).
     */
    Optional<String> agentJson(String serverId);

    /** The server was deleted: its link closes (4001) and its reports are forgotten. */
    void disconnectServer(String serverId);

    /** The key was revoked: the link that authenticated with it closes (4001). */
    void disconnectKey(String keyId);

    /** Tells {@code listener} of each server whose agent connects to this hub instance (it may have come from another). */
    void whenConnected(Consumer<String> listener);

    /** The server's sample interval changed ({@code override} null: the hub's default); a connected agent adopts it at once. */
    void intervalChanged(String serverId, Integer override);
}
