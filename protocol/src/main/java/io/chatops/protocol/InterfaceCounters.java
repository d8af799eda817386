package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The kernel's cumulative counters of one network interface. They are counters, not rates: the
 * hub derives rates and treats a counter that goes down as a reset.
 */
public record InterfaceCounters(
        @JsonProperty(value = "interface", required = true) String name,
        @JsonProperty(required = true) long bytesSent,
        @JsonProperty(required = true) long bytesRecv,
        @JsonProperty(required = true) long packetsSent,
        @JsonProperty(required = true) long packetsRecv,
        @JsonProperty(required = true) long errorsIn,
        @JsonProperty(required = true) long errorsOut) {

    public InterfaceCounters {
        Require.text("interface", name);
        Require.nonNegative("bytes_sent", bytesSent);
        Require.nonNegative("bytes_recv", bytesRecv);
        Require.nonNegative("packets_sent", packetsSent);
        Require.nonNegative("packets_recv", packetsRecv);
        Require.nonNegative("errors_in", errorsIn);
        Require.nonNegative("errors_out", errorsOut);
    }
}
