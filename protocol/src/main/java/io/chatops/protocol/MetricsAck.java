package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Hub to agent, cumulative: every sample with a sequence number up to {@code seq} is stored. */
public record MetricsAck(@JsonProperty(required = true) long seq) implements Message {

    public MetricsAck {
        Require.positive("seq", seq);
    }
}
