package io.chatops.hub.agents;

/**
 * How fast one server's agent frames are read: {@link #PER_SECOND} a second, after a burst of
 * {@link #BURST} (a token bucket); a frame counts once more for every {@link #BYTES_PER_FRAME} it
 * carries. A link over it is not closed but made to wait: its next frame is read only when the
 * budget allows, so the agent's sends slow down through TCP's flow control and the hub's other links
 * go on. The budget belongs to the server, not the link, so reconnecting does not fill it again. A
 * real agent stays well under it — a sample every few seconds, command output at most every 100 ms
 * per stream and capped at 1 MiB — except when it sends what it kept through an outage, which the
 * burst takes at once (an hour of 5 s samples is 720 frames). Measured: one link sending 10 000
 * samples a second made the acknowledgements of 200 agents beside it 113 times slower (p99).
 */
final class FrameBudget {
    static final int PER_SECOND = 100;
    static final int BURST = 2_000;
    static final int BYTES_PER_FRAME = 64 * 1024;
    private static final long NANOS_PER_FRAME = 1_000_000_000L / PER_SECOND;

    /** When the budget was last full, in nanoTime; a frame spends {@link #NANOS_PER_FRAME} of it. */
    private long fullAt;
    private boolean started;

    /** Spends a frame of {@code chars} at {@code nowNanos}: how long to wait before reading it (0 within budget). */
    synchronized long spend(long nowNanos, int chars) {
        long earliest = nowNanos - BURST * NANOS_PER_FRAME;
        if (!started || fullAt < earliest) {
            fullAt = earliest;
            started = true;
        }
        fullAt += (1 + chars / BYTES_PER_FRAME) * NANOS_PER_FRAME;
        return Math.max(0, fullAt - nowNanos);
    }
}
