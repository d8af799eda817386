package io.chatops.hub.agents;

import java.time.Instant;
import java.util.TreeSet;

/**
 * One link's acknowledgements kept true to the protocol, where {@code metrics_ack n} tells the agent
 * that every sample up to n is stored and may be dropped. Samples are written in batches and a
 * batch can fail (a full disk, a database away), so n is acknowledged only once no sample the link
 * sent with a lower number is still being written or failed. After a failure nothing newer is
 * taken: a fresh sample (numbered above every one seen on the link) is held back, left with the
 * agent, until the agent sends its unacknowledged samples again (numbered at or below the highest
 * seen), oldest first; the first of them clears the way. Samples stored after the failed one are
 * acknowledged when sent again (the store recognises them). Without this, the acknowledgement of
 * a later sample made the agent drop the one the hub could not store.
 */
final class SampleAcks {
    /** Taken, not yet known to be stored or not. */
    private final TreeSet<Long> writing = new TreeSet<>();
    /** Stored, not acknowledged yet because a lower one was still being written. */
    private final TreeSet<Long> stored = new TreeSet<>();
    private long highestSeen;
    /** The lowest sample that could not be stored, until it or another is sent again; 0 when none. */
    private long unstored;
    private Instant unstoredSince;

    /** Whether to store {@code seq} now; when not, the agent keeps it and sends it again. */
    synchronized boolean take(long seq, Instant now) {
        boolean sentAgain = seq <= highestSeen;
        highestSeen = Math.max(highestSeen, seq);
        if (unstored != 0) {
            if (!sentAgain) {
                return false;
            }
            unstored = 0;
            unstoredSince = null;
        }
        writing.add(seq);
        return true;
    }

    /** {@code seq} is stored (or was already); the number to acknowledge now, or 0 for none yet. */
    synchronized long stored(long seq) {
        writing.remove(seq);
        if (unstored == 0 || seq < unstored) {
            stored.add(seq);
        }
        return acknowledgeable();
    }

    /** {@code seq} could not be stored; the number to acknowledge now (samples before it), or 0. */
    synchronized long failed(long seq, Instant now) {
        writing.remove(seq);
        if (unstored == 0 || seq < unstored) {
            if (unstored == 0) {
                unstoredSince = now;
            }
            unstored = seq;
            stored.tailSet(seq).clear(); // an acknowledgement of any of them would cover the failed one
        }
        return acknowledgeable();
    }

    /** Since when a sample waits to be sent again, or null. */
    synchronized Instant holdingSince() {
        return unstoredSince;
    }

    private long acknowledgeable() {
        long limit = Long.MAX_VALUE;
        if (!writing.isEmpty()) {
            limit = writing.first();
        }
        if (unstored != 0) {
            limit = Math.min(limit, unstored);
        }
        Long highest = stored.lower(limit);
        if (highest == null) {
            return 0;
        }
        stored.headSet(highest, true).clear();
        return highest;
    }
}
