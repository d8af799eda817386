package io.chatops.agent.link;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Scheduler}: one daemon thread named {@code agent-link}. Its clock is
 * monotonic (the wall clock at start, moved on by {@link System#nanoTime()}), so that setting the
 * wall clock back ten minutes neither stalls sampling nor blinds the dead-link check for ten
 * minutes, and setting it forward an hour does not drop a healthy link.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
    private final ScheduledExecutorService executor;
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();

    public ExecutorScheduler() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "agent-link");
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true); // cancelled deadlines must not pile up in the queue
        this.executor = pool;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Instant now() {
        return startedAt.plusNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
