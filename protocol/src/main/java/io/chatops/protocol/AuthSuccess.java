package io.chatops.protocol;


/**
 * Hub to agent: the key was accepted. {@code lastSeq} is the highest metrics sequence number the
 * hub has stored for this server (0 when none); the agent resends anything newer it still holds.
 */
public record AuthSuccess(
        String serverId,
        String serverName,
        int protocol,
        int metricsIntervalSeconds,
        long lastSeq) implements Message {

    public AuthSuccess {
        Require.text("server_id", serverId);
        Require.text("server_name", serverName);
        Require.between("protocol", protocol, 1, Integer.MAX_VALUE);
        Require.between("metrics_interval_seconds", metricsIntervalSeconds, 1, 3_600);
        Require.nonNegative("last_seq", lastSeq);
    }
}
