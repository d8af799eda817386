package io.chatops.protocol;


/** Hub to agent, cumulative: every sample with a sequence number up to {@code seq} is stored. */
public record MetricsAck(long seq) implements Message {

    public MetricsAck {
        Require.positive("seq", seq);
    }
}
