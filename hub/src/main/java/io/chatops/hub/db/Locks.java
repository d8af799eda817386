package io.chatops.hub.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Work that only one hub instance may do at a time on a shared PostgreSQL (start-up upgrades,
 * retention, new partitions, timers of alerts), behind the database's advisory locks: they
 * need no table, and a lock held by an instance that dies is released with its connection. On
 * SQLite there is one hub, and every lock is granted at once.
 */
public enum Locks {
    START_UP_UPGRADES(1),
    RETENTION(2),
    PARTITIONS(3),
    /** Offline rules, repeats and keep-alives of alerts. */
    ALERT_TIMERS(6),
    /** With a second key, one server-hour of samples closing into its block. */
    HOUR_CLOSE(5);

    /** "chatops" in the high bits, so that the keys do not meet another application's on a shared database. */
    private static final long NAMESPACE = 0x6368_6174_6f70L << 16;

    private final long key;

    Locks(int job) {
        this.key = NAMESPACE | job;
    }

    /** Runs {@code job} holding this lock, waiting for another instance to finish first. */
    public void runWaiting(Jdbi jdbi, Runnable job) {
        jdbi.useHandle(h -> {
            boolean postgres = Database.isPostgres(h);
            if (postgres) {
                h.createQuery("SELECT CAST(pg_advisory_lock(?) AS TEXT)").bind(0, key).mapTo(String.class).one();
            }
            try {
                job.run();
            } finally {
                if (postgres) {
                    h.createQuery("SELECT pg_advisory_unlock(?)").bind(0, key).mapTo(Boolean.class).one();
                }
            }
        });
    }

    /** Runs {@code job} holding this lock when no other instance holds it; false when it did not run. */
    public boolean runIfFree(Jdbi jdbi, Runnable job) {
        return jdbi.withHandle(h -> {
            boolean postgres = Database.isPostgres(h);
            if (postgres && !h.createQuery("SELECT pg_try_advisory_lock(?)").bind(0, key).mapTo(Boolean.class).one()) {
                return false;
            }
            try {
                job.run();
                return true;
            } finally {
                if (postgres) {
                    h.createQuery("SELECT pg_advisory_unlock(?)").bind(0, key).mapTo(Boolean.class).one();
                }
            }
        });
    }

    /**
     * Takes this lock for {@code detail} (such as one server-hour) until the end of {@code transaction},
     * unless another instance holds it: false then, and the caller leaves that work to it.
     */
    public boolean tryInTransaction(Handle transaction, int detail) {
        // The two-key form: its keys never meet the one-key locks above.
        return !Database.isPostgres(transaction) || transaction.createQuery("SELECT pg_try_advisory_xact_lock(?, ?)")
                .bind(0, (int) key).bind(1, detail).mapTo(Boolean.class).one();
    }
}
