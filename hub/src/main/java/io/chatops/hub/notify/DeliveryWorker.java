package io.chatops.hub.notify;

import io.chatops.hub.cluster.Peers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import io.chatops.hub.db.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds: every second (and at once when woken) it takes the due
 * notifications and sends them on a small pool, so a slow receiver holds up only its own. A failed
 * attempt on a network error, a timeout, 408, 425, 429 or 5xx is tried again after about 10 s,
 * 30 s, 2 min, 10 min, 30 min, then hourly, ±20 %, for a day; other answers fail at once. After a
 * restart, what was pending is sent again with the same id (at least once; receivers de-duplicate).
 */
final class DeliveryWorker implements AutoCloseable {
    static final Duration POLL_EVERY = Duration.ofSeconds(1);
    static final int BATCH = 50;
    /** Senders at once: a few receivers may be slow without holding up the rest. */
    static final int SENDERS = 4;
    static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1));
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    /** Longer than an attempt can take: a notification claimed by an instance that died is due again after this. */
    static final Duration CLAIM_FOR = Sender.TIMEOUT.plusSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final TaskFailures pollFailures = new TaskFailures(LOG, "reading the notification outbox");

    private final Outbox outbox;
    private final Function<String, Optional<Channel>> channels;
    private final Sender sender;
    private final Clock clock;
    private final Peers peers;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * Finished since the current poll began. A poll's list of due rows may predate an attempt that
     * ended while the poll ran; without this, that row would look due and be sent a second time.
     */
    private final Set<String> finishedDuringPoll = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "notify-poll"));
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, r -> daemon(r, "notify-send"));
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    DeliveryWorker(Outbox outbox, Function<String, Optional<Channel>> channels, Sender sender, Clock clock, Peers peers) {
        this.outbox = outbox;
        this.channels = channels;
        this.sender = sender;
        this.clock = clock;
        this.peers = peers;
        peers.whenDeparted(instance -> releaseClaimsOfTheGone());
        poller.scheduleWithFixedDelay(this::poll, POLL_EVERY.toMillis(), POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Makes what instances that are gone had claimed due now: the hub calls this once it knows the
     * others (a hub killed while sending, alone or among others), and it runs whenever another
     * instance is taken for dead.
     */
    void releaseClaimsOfTheGone() {
        try {
            if (outbox.releaseClaimsExcept(peers.alive(), clock.instant()) > 0) {
                wake();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot release the notifications claimed by stopped hub instances; they are due when their claims run out: {}",
                    e.getMessage());
        }
    }

    /** New notifications were written: look now rather than within a second (many wakes make one look). */
    void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            poller.execute(() -> {
                wakeQueued.set(false);
                poll();
            });
        }
    }

    long failedTotal() {
        return failed.get();
    }

    long sentTotal() {
        return sent.get();
    }

    private void poll() {
        pollFailures.run(this::claimAndSendDue);
    }

    private void claimAndSendDue() {
        finishedDuringPoll.clear(); // before the query: what finishes from now on may still be in its answer
        for (Outbox.Pending due : outbox.due(clock.instant(), BATCH)) {
            if (!inFlight.add(due.id())) {
                continue; // being sent now
            }
            // Claimed first, then checked: an attempt that ends between the two marked itself
            // finished before it gave up its claim, so it cannot slip through (checked the other
            // way round, one did, and was sent twice).
            if (finishedDuringPoll.contains(due.id()) || !outbox.claim(due, peers.self(), clock.instant().plus(CLAIM_FOR))) {
                inFlight.remove(due.id());
                continue;
            }
            senders.execute(() -> deliver(due));
        }
    }

    private void deliver(Outbox.Pending due) {
        try {
            int attempts = due.attempts() + 1;
            Optional<Channel> channel = channels.apply(due.channelId());
            if (channel.isEmpty() || !channel.get().enabled()) {
                outbox.failed(due.id(), due.attempts(), "the channel is disabled");
                failed.incrementAndGet();
                return;
            }
            Sender.Result result = sender.send(channel.get(), due.id(), due.body());
            Instant now = clock.instant();
            if (result.delivered()) {
                outbox.sent(due.id(), attempts, now);
                sent.incrementAndGet();
            } else if (result.retry() && now.isBefore(due.createdAt().plus(GIVE_UP_AFTER))) {
                Duration wait = result.retryAfter() != null ? result.retryAfter() : backoff(attempts);
                outbox.retryAt(due.id(), attempts, now.plus(wait), result.error());
            } else {
                outbox.failed(due.id(), attempts, result.error());
                failed.incrementAndGet();
                LOG.warn("notification {} to channel {} failed for good: {}", due.id(), channel.get().name(), result.error());
            }
        } catch (RuntimeException e) {
            LOG.error("delivering notification {} failed; it stays pending", due.id(), e);
        } finally {
            finishedDuringPoll.add(due.id()); // before it leaves inFlight, so that no poll sees it as free and due
            inFlight.remove(due.id());
            wake(); // what waited behind it (the next batch, this alert's next notice) is due now
        }
    }

    /** The wait after the {@code attempts}-th failure, with ±20 % jitter so that retries of many alerts spread out. */
    static Duration backoff(int attempts) {
        Duration base = BACKOFF.get(Math.min(attempts, BACKOFF.size()) - 1);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (base.toMillis() * jitter));
    }

    @Override
    public void close() {
        poller.shutdownNow();
        senders.shutdown();
        try {
            senders.awaitTermination(Sender.TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
