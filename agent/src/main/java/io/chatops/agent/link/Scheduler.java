package io.chatops.agent.link;

import java.time.Duration;
import java.time.Instant;

/**
 * The link's one thread and its clock. Every event and timer runs on it, one at a time, so the link's
 * state needs no locks. Tests use a fake that runs tasks when they advance time.
 */
public interface Scheduler {
    /** Runs {@code task} on the link thread as soon as possible. */
    void execute(Runnable task);

    /** Runs {@code task} on the link thread after {@code delay}; the handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** The link's time for its timers and deadlines: monotonic, unmoved by changes of the wall clock. */
    Instant now();

    interface Cancellable {
        void cancel();
    }
}
