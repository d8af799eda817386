package io.chatops.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * PROTOCOL.md's limit on bad frames: more than {@link #MAX_BAD_FRAMES} in a sliding
 * {@link #WINDOW} end the connection with 1008. One instance per connection; thread-safe, because
 * the hub counts from whichever thread received the frame.
 */
public final class BadFrameLimit {
    /** Enough for a peer of a newer version that sends a few unknown types, too few for a flood. */
    public static final int MAX_BAD_FRAMES = 20;
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final ArrayDeque<Instant> recent = new ArrayDeque<>();

    /** Counts a bad frame received at {@code now}; true when the connection has now had too many. */
    public synchronized boolean exceededAfter(Instant now) {
        recent.addLast(now);
        while (!recent.isEmpty() && Duration.between(recent.peekFirst(), now).compareTo(WINDOW) >= 0) {
            recent.removeFirst();
        }
        return recent.size() > MAX_BAD_FRAMES;
    }

    /** Forgets every bad frame: for a new connection. */
    public synchronized void reset() {
        recent.clear();
    }
}
