package io.chatops.protocol;

/**
 * The TCP connections of the agent's network namespace (the host's, on a server): how many there
 * are by state, and, over the last interval, connections opened and segments retransmitted a second
 * (null in an agent's first sample, which has no interval yet).
 */
public record TcpStats(
        long established,
        long inUse,
        long timeWait,
        long orphans,
        Double activeOpensPerSecond,
        Double passiveOpensPerSecond,
        Double retransmitsPerSecond) {

    public TcpStats {
        Require.nonNegative("established", established);
        Require.nonNegative("in_use", inUse);
        Require.nonNegative("time_wait", timeWait);
        Require.nonNegative("orphans", orphans);
        Require.optionalNonNegative("active_opens_per_second", activeOpensPerSecond);
        Require.optionalNonNegative("passive_opens_per_second", passiveOpensPerSecond);
        Require.optionalNonNegative("retransmits_per_second", retransmitsPerSecond);
    }
}
