package io.chatops.hub.cluster;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The other hub instances that share this hub's database, and messages to them: how a hub reaches
 * an agent connected to another instance and tells other instances' browsers what happened. On
 * SQLite a hub has no peers ({@link #solo()}).
 */
public interface Peers extends AutoCloseable {
    /** Receives the messages of one kind, on the one thread that reads this instance's messages, in each sender's order. */
    @FunctionalInterface
    interface Handler {
        void received(String from, String body);
    }

    /** Joins the others and starts reading messages: once every handler is registered. */
    void start();

    /** This instance's id. */
    String self();

    /** Whether other instances may exist at all (PostgreSQL). */
    boolean clustered();

    /** The other instances alive now, as of the last heartbeat. */
    Set<String> others();

    /**
     * Whether this instance leads the jobs that one instance does for all (timers of alerts): the
     * alive instance with the smallest id, so that the lead stays put while that instance lives.
     */
    default boolean leads() {
        return others().stream().allMatch(other -> self().compareTo(other) < 0);
    }

    /** This instance and the others alive now: whose claims, records and jobs are not orphans. */
    default Set<String> alive() {
        Set<String> alive = new HashSet<>(others());
        alive.add(self());
        return alive;
    }

    default boolean isAlive(String instance) {
        return others().contains(instance);
    }

    /**
     * Queues a message of {@code kind} for instance {@code to}; false when it cannot be queued (the
     * queue is full) and the caller must treat it as lost. Delivery is at most once: a message to an
     * instance that dies is never read.
     */
    boolean send(String to, String kind, String body);

    /**
     * {@link #send} for a message someone waits for (a request to an agent, its answer): it may
     * also travel in its wake-up, so that the recipient need not read it from the database first.
     */
    default boolean sendNow(String to, String kind, String body) {
        return send(to, kind, body);
    }

    /** Sends to every other instance alive now. */
    default void broadcast(String kind, String body) {
        for (String other : others()) {
            send(other, kind, body);
        }
    }

    /** Hands every message of {@code kind} to {@code handler}; one handler per kind, registered before messages arrive. */
    void on(String kind, Handler handler);

    /**
     * Runs {@code action} whenever this instance joins again after the others took it for dead (the
     * database was away too long), so that what it holds is recorded again.
     */
    void whenRejoined(Runnable action);

    /** Tells {@code listener} of each other instance taken for dead (no heartbeat for a while) or gone. */
    void whenDeparted(Consumer<String> listener);

    @Override
    void close();

    /** A hub alone on its database. */
    static Peers solo() {
        // Its own id per start too: what a killed predecessor claimed is told apart from what this one claims.
        String id = "solo-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new Peers() {
            @Override
            public void start() {
            }

            @Override
            public String self() {
                return id;
            }

            @Override
            public boolean clustered() {
                return false;
            }

            @Override
            public Set<String> others() {
                return Set.of();
            }

            @Override
            public boolean send(String to, String kind, String body) {
                return false;
            }

            @Override
            public void on(String kind, Handler handler) {
            }

            @Override
            public void whenRejoined(Runnable action) {
            }

            @Override
            public void whenDeparted(Consumer<String> listener) {
            }

            @Override
            public void close() {
            }
        };
    }
}
