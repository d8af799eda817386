package io.chatops.hub.metrics;

import io.chatops.hub.db.Database;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads that span the open rows and the blocks, done in one snapshot: an hour closing (its rows
 * becoming a block) or opening again between two statements must not hide its samples or show
 * them twice. SQLite in WAL mode keeps one snapshot for a whole read transaction; PostgreSQL does
 * from REPEATABLE READ (its default, READ COMMITTED, takes a new one per statement).
 */
final class Snapshot {
    private Snapshot() {
    }

    static <T> T read(Jdbi jdbi, HandleCallback<T, RuntimeException> reads) {
        return jdbi.inTransaction(h -> {
            if (Database.isPostgres(h)) {
                h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
            }
            return reads.withHandle(h);
        });
    }
}
