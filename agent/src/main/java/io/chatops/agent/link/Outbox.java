package io.chatops.agent.link;

import io.chatops.protocol.Metrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the hub has not acknowledged yet, oldest first, so that an outage loses nothing within
 * its capacity. When full, the oldest sample is dropped and counted: recent data matters more
 * during an incident. Used from the link thread only.
 */
final class Outbox {
    private final ArrayDeque<Metrics> samples;
    private final int capacity;
    private long dropped;

    Outbox(int capacity) {
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(Math.min(capacity, 64));
    }

    /** Adds a sample; returns true when the oldest one had to be dropped to make room. */
    boolean add(Metrics sample) {
        boolean full = samples.size() >= capacity;
        if (full) {
            samples.removeFirst();
            dropped++;
        }
        samples.addLast(sample);
        return full;
    }

    /** The hub stored every sample up to {@code seq}. */
    void acknowledge(long seq) {
        while (!samples.isEmpty() && samples.peekFirst().seq() <= seq) {
            samples.removeFirst();
        }
    }

    /** Everything still unacknowledged, oldest first, to resend after a reconnect. */
    List<Metrics> pending() {
        return new ArrayList<>(samples);
    }

    /**
     * Gives the held samples new numbers from {@code firstSeq} on, keeping their order: the hub knows
     * numbers beyond ours (the state directory was lost), and a reused number would be ignored.
     */
    void renumberFrom(long firstSeq) {
        List<Metrics> held = new ArrayList<>(samples);
        samples.clear();
        long seq = firstSeq;
        for (Metrics sample : held) {
            samples.addLast(sample.withSeq(seq++));
        }
    }

    /** The oldest unacknowledged sample; only when not empty. */
    Metrics oldest() {
        return samples.getFirst();
    }

    int size() {
        return samples.size();
    }

    int capacity() {
        return capacity;
    }

    long dropped() {
        return dropped;
    }
}
