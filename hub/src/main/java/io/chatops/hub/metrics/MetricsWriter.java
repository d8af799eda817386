package io.chatops.hub.metrics;

import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
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

    private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);
    private static final String INSERT = "INSERT INTO metrics_raw (server_id, seq, ts, sample, cpu, mem, disk, load1, net_sent, net_recv)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (server_id, seq) DO NOTHING";

    /** @param previous the server's sample before it in arrival order (its rates' base), or null */
    record Pending(String serverId, Metrics sample, Metrics previous, String json, Summary summary, CompletableFuture<Boolean> stored) {
    }

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final Clock clock;
    private final Consumer<Pending> onStored;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;
    private volatile boolean closing;

    MetricsWriter(Jdbi jdbi, ServerStore servers, Clock clock, Consumer<Pending> onStored) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.clock = clock;
        this.onStored = onStored;
        this.thread = new Thread(this::run, "metrics-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<Boolean> submit(String serverId, Metrics sample, Metrics previous, String json, Summary summary) {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        if (closing || !queue.offer(new Pending(serverId, sample, previous, json, summary, stored))) {
            stored.completeExceptionally(new RejectedExecutionException("the metrics writer is full or stopping"));
        }
        return stored;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (queue.isEmpty()) {
                    return;
                }
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            write(batch);
            batch.clear();
        }
    }

    private void write(List<Pending> batch) {
        int[] inserted;
        try {
            Instant now = clock.instant();
            inserted = jdbi.inTransaction(h -> {
                PreparedBatch insert = h.prepareBatch(INSERT);
                Map<String, Long> highestSeq = new HashMap<>();
                for (Pending p : batch) {
                    Summary s = p.summary();
                    insert.bind(0, p.serverId()).bind(1, p.sample().seq()).bind(2, p.sample().timestamp().toEpochMilli())
                            .bind(3, p.json()).bind(4, s.cpu()).bind(5, s.memory()).bind(6, s.disk()).bind(7, s.load1())
                            .bind(8, s.sentPerSecond()).bind(9, s.recvPerSecond()).add();
                    highestSeq.merge(p.serverId(), p.sample().seq(), Math::max);
                }
                int[] counts = insert.execute();
                servers.advanceLastSeq(h, highestSeq, now);
                return counts;
            });
        } catch (RuntimeException e) {
            LOG.error("storing {} samples failed; they stay unacknowledged and their agents resend them", batch.size(), e);
            batch.forEach(p -> p.stored().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            boolean isNew = inserted[i] == 1;
            if (isNew) {
                onStored.accept(p);
            }
            p.stored().complete(isNew);
        }
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
