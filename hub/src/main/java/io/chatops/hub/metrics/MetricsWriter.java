package io.chatops.hub.metrics;

import io.chatops.hub.db.TaskFailures;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes samples in batches: one thread takes everything that queued up while the previous
 * transaction ran and commits it as one transaction. A quiet hub writes each sample at once; a
 * busy one writes hundreds per commit instead of one, and no agent's session waits for the disk.
 * Each sample's future completes once its transaction committed, which is when the agent may be
 * told it is stored; each server's {@code last_seq} (owned by {@link ServerStore}) commits with it.
 */
final class MetricsWriter implements AutoCloseable {
    /** Samples per transaction at most: a second of a 5 000-server fleet. */
    static final int MAX_BATCH = 1_000;
    /** Samples waiting at most; beyond, a sample is refused unacknowledged and its agent resends it later. */
    static final int MAX_QUEUED = 50_000;

    /** How often the writer looks for hours to close into blocks, and how many it closes between two batches. */
    static final Duration CLOSE_EVERY = Duration.ofSeconds(10);
    static final int CLOSE_AT_ONCE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);
    private final TaskFailures closeFailures = new TaskFailures(LOG, "closing an hour of samples into a block");

    /** @param previous the server's sample before it in arrival order (its rates' base), or null */
    record Pending(String serverId, Sample sample, Metrics previous, Summary summary, CompletableFuture<Boolean> stored) {
    }

    private final Jdbi jdbi;
    private final RawTier raw;
    private final ServerStore servers;
    private final Clock clock;
    private final Consumer<Pending> onStored;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;
    private final WriteFailures failures;
    private volatile boolean closing;

    MetricsWriter(Jdbi jdbi, DayPartitions partitions, ServerStore servers, Clock clock, Consumer<Pending> onStored) {
        this.jdbi = jdbi;
        this.raw = new RawTier(jdbi, partitions);
        this.servers = servers;
        this.clock = clock;
        this.onStored = onStored;
        this.failures = new WriteFailures(clock);
        this.thread = new Thread(this::run, "metrics-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<Boolean> submit(String serverId, Sample sample, Metrics previous, Summary summary) {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        if (closing || !queue.offer(new Pending(serverId, sample, previous, summary, stored))) {
            stored.completeExceptionally(new RejectedExecutionException("the metrics writer is full or stopping"));
        }
        return stored;
    }

    /**
     * Writes batches as they come; between them, and when idle, closes the hours that are over
     * into blocks, a few at a time, so that closing a whole fleet's hour never holds acks back long.
     */
    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        Instant nextCloseCheck = Instant.MIN;
        boolean moreToClose = true; // at start, hours may be waiting (a stop, an upgrade)
        while (true) {
            try {
                Pending first = queue.poll(moreToClose ? 0 : CLOSE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                if (queue.isEmpty()) {
                    return;
                }
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            Instant now = clock.instant();
            if (!batch.isEmpty()) {
                write(batch);
                // Samples of an hour that is already over (an outbox replayed after an outage): close it soon.
                long openFrom = RawTier.hourOf(now.minus(RawTier.GRACE).toEpochMilli());
                moreToClose |= batch.stream().anyMatch(p -> p.sample().millis() < openFrom);
                batch.clear();
            }
            if (!closing && (moreToClose || !now.isBefore(nextCloseCheck))) {
                moreToClose = closeSome(now);
                nextCloseCheck = now.plus(CLOSE_EVERY);
            }
            if (closing && queue.isEmpty()) {
                return;
            }
        }
    }

    /** True when more hours are waiting to be closed. */
    private boolean closeSome(Instant now) {
        try {
            boolean more = raw.closeDue(now, CLOSE_AT_ONCE) == CLOSE_AT_ONCE;
            closeFailures.succeeded();
            return more;
        } catch (RuntimeException e) {
            closeFailures.failed(e);
            return false;
        }
    }

    private void write(List<Pending> batch) {
        int[] inserted;
        try {
            Instant now = clock.instant();
            inserted = jdbi.inTransaction(h -> {
                List<RawTier.Incoming> incoming = new ArrayList<>(batch.size());
                Map<String, Long> highestSeq = new HashMap<>();
                for (Pending p : batch) {
                    incoming.add(new RawTier.Incoming(p.serverId(), p.sample(), p.summary()));
                    highestSeq.merge(p.serverId(), p.sample().metrics().seq(), Math::max);
                }
                int[] counts = raw.insert(h, incoming);
                servers.advanceLastSeq(h, highestSeq, now);
                return counts;
            });
        } catch (RuntimeException e) {
            // Those queued behind the batch fail with it: a later sample of an agent must not be stored (and
            // acknowledged, which the protocol makes cumulative) ahead of the one that failed. The batch is failed
            // first, so that its agents' links take no newer sample before the queue is emptied.
            batch.forEach(p -> p.stored().completeExceptionally(e));
            List<Pending> behind = new ArrayList<>();
            queue.drainTo(behind);
            behind.forEach(p -> p.stored().completeExceptionally(e));
            failures.failed(e, batch.size() + behind.size());
            return;
        }
        failures.succeeded();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            boolean isNew = inserted[i] == 1;
            if (isNew) {
                onStored.accept(p);
            }
            p.stored().complete(isNew);
        }
    }

    /** What keeps samples from being stored, while it lasts. */
    Optional<String> problem(Instant databaseAnsweredAt) {
        return failures.problem(databaseAnsweredAt);
    }

    /** Stops taking samples and writes what is queued before returning. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
