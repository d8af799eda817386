package io.chatops.hub.metrics;

import io.chatops.hub.db.Locks;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;

/**
 * Samples at full detail, written in batches by {@link MetricsWriter} into the compact
 * {@link RawTier}. Storing is idempotent: a sample whose sequence number is already stored for its
 * server changes nothing, so an agent may resend freely after a reconnect.
 */
public final class MetricsStore implements AutoCloseable {
    private final RawTier raw;
    private final DayPartitions partitions;
    /** Each server's newest sample, for rates; one entry per server. */
    private final Map<String, Metrics> previous = new ConcurrentHashMap<>();
    private final MetricsWriter writer;
    private final List<StoredListener> listeners = new CopyOnWriteArrayList<>();

    public MetricsStore(Jdbi jdbi, ServerStore servers, Clock clock) {
        this.raw = new RawTier(jdbi, DayPartitions.NONE);
        // Several instances starting at once: the first upgrades, the others wait and find it done.
        Locks.START_UP_UPGRADES.runWaiting(jdbi, () -> {
            RawTierUpgrade.run(jdbi);
            RollupUpgrade.run(jdbi);
        });
        this.partitions = DayPartitions.setUp(jdbi);
        this.writer = new MetricsWriter(jdbi, partitions, servers, clock, stored -> {
            listeners.forEach(listener -> listener.stored(stored.serverId(), stored.sample().metrics(), stored.previous()));
        });
    }

    /** Hears of each new sample once it is durable. */
    @FunctionalInterface
    public interface StoredListener {
        /** {@code previous} is the server's sample before it in arrival order (what its rates are from), or null. */
        void stored(String serverId, Metrics sample, Metrics previous);
    }

    /**
     * Tells {@code listener} of every new sample once it is durable, in the order stored, on the
     * writer's thread: a listener must hand the work on, not do it there.
     */
    public void whenStored(StoredListener listener) {
        listeners.add(listener);
    }

    /**
     * Queues {@code sample} for the next batch; the future says, once it is durable, whether it was
     * new (false: stored before). It fails when the hub cannot take it; the sample is then not
     * acknowledged and the agent keeps it.
     */
    public CompletableFuture<Boolean> storeAsync(String serverId, Metrics sample) {
        return storeAsync(serverId, sample, List.of());
    }

    /** As {@link #storeAsync(String, Metrics)}, with the load of the server's containers at that moment. */
    public CompletableFuture<Boolean> storeAsync(String serverId, Metrics sample, List<ContainerLoad> containers) {
        // Rates come from the previous sample in arrival order; a replayed older one does not move it.
        Metrics before = previous.get(serverId);
        Summary summary = Summary.of(sample, before);
        if (before == null || sample.timestamp().isAfter(before.timestamp())) {
            previous.put(serverId, sample);
        }
        return writer.submit(serverId, new Sample(sample, containers), before, summary);
    }

    /** Stores {@code sample} and waits until it is durable; false when it was stored before. */
    public boolean store(String serverId, Metrics sample) {
        return storeAsync(serverId, sample).join();
    }

    /** What keeps samples from being stored right now (a full disk, a database away), for {@code /readyz}; empty when they can be. */
    public Optional<String> storageProblem(Instant databaseAnsweredAt) {
        return writer.problem(databaseAnsweredAt);
    }

    /** Writes what is queued, then stops taking samples. */
    @Override
    public void close() {
        writer.close();
    }

    /** The day partitions the writer makes, which retention drops. */
    DayPartitions partitions() {
        return partitions;
    }

    /** What the fleet view shows of each server's newest sample, by server id; servers without samples are absent. */
    public Map<String, Map<String, Object>> latestFigures() {
        return raw.latestFigures();
    }

    /** The server's newest sample, kept whatever the retention. */
    public Optional<Metrics> latest(String serverId) {
        return raw.latest(serverId);
    }

    /** Each server's newest sample, by server id; servers without samples are absent. */
    public Map<String, Metrics> latestOfEach() {
        return raw.latestOfEach();
    }

    /** Up to {@code count} of the newest samples, newest first. */
    public List<Metrics> newest(String serverId, int count) {
        return raw.newest(serverId, count);
    }

    public long count(String serverId) {
        return raw.count(serverId);
    }
}
