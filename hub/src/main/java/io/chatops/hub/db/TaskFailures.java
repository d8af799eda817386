package io.chatops.hub.db;

import java.util.Optional;
import org.slf4j.Logger;

/**
 * The log of a task that runs again and again (polling an outbox, judging samples): a failure of
 * the storage ({@link StorageTrouble}) is told in one line when it starts and one when it is over,
 * not with a stack trace each time the task runs; any other failure keeps its stack trace.
 */
public final class TaskFailures {
    private final Logger log;
    private final String task;
    private volatile StorageTrouble ongoing;

    public TaskFailures(Logger log, String task) {
        this.log = log;
        this.task = task;
    }

    /** Runs one round of the task and tells how it went. */
    public void run(Runnable round) {
        try {
            round.run();
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    public void failed(RuntimeException error) {
        Optional<StorageTrouble> trouble = StorageTrouble.of(error);
        if (trouble.isEmpty()) {
            log.error("{} failed", task, error);
        } else if (ongoing != trouble.get()) {
            ongoing = trouble.get();
            log.warn("{} failed: {}; it goes on by itself once the database can be used again", task, trouble.get().message);
        }
    }

    public void succeeded() {
        if (ongoing != null) {
            ongoing = null;
            log.info("{} works again", task);
        }
    }
}
