package io.chatops.agent.link;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose time moves only when a test advances it; tasks run on the test's thread. */
final class FakeScheduler implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private Instant now = Instant.parse("2026-11-26T00:00:00Z");
    private long order;
    final List<Duration> delays = new ArrayList<>();

    private final class Task implements Comparable<Task>, Cancellable {
        final Instant at;
        final long sequence = order++;
        final Runnable body;
        boolean cancelled;

        Task(Instant at, Runnable body) {
            this.at = at;
            this.body = body;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(new Task(now, task));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable body) {
        delays.add(delay);
        Task task = new Task(now.plus(delay), body);
        tasks.add(task);
        return task;
    }

    @Override
    public Instant now() {
        return now;
    }

    /** Runs everything that is due now, including what those tasks enqueue for now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves time forward, running each task at its own time, in order. */
    void advance(Duration duration) {
        Instant target = now.plus(duration);
        while (!tasks.isEmpty() && !tasks.peek().at.isAfter(target)) {
            Task task = tasks.poll();
            now = task.at.isAfter(now) ? task.at : now;
            if (!task.cancelled) {
                task.body.run();
            }
        }
        now = target;
    }

    /** The delay of the last timer scheduled. */
    Duration lastDelay() {
        return delays.get(delays.size() - 1);
    }
}
