package io.chatops.protocol;


/**
 * The kernel's cumulative counters of one network interface. They are counters, not rates: the
 * hub derives rates and treats a counter that goes down as a reset.
 */
public record InterfaceCounters(
        String name,
        long bytesSent,
        long bytesRecv,
        long packetsSent,
        long packetsRecv,
        long errorsIn,
        long errorsOut) {

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
