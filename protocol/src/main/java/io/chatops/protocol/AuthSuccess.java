package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Hub to agent: the key was accepted. {@code lastSeq} is the highest metrics sequence number the
 * hub has stored for this server (0 when none); the agent resends anything newer it still holds.
 */
public record AuthSuccess(
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) String serverName,
        @JsonProperty(required = true) int protocol,
        @JsonProperty(required = true) int metricsIntervalSeconds,
        @JsonProperty(required = true) long lastSeq) implements Message {

    public AuthSuccess {
        Require.text("server_id", serverId);
        Require.text("server_name", serverName);
        Require.between("protocol", protocol, 1, Integer.MAX_VALUE);
        Require.between("metrics_interval_seconds", metricsIntervalSeconds, 1, 3_600);
        Require.nonNegative("last_seq", lastSeq);
    }
}
