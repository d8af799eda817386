package io.chatops.hub.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * A failure that is the storage's, not the request's: the disk is full (SQLite's SQLITE_FULL,
 * PostgreSQL's class 53 "insufficient resources") or the database cannot be reached (no connection
 * within the pool's timeout, PostgreSQL's class 08 "connection exception"). Such a failure gets a
 * status that says so instead of a 500, and one line in the log instead of a stack trace.
 */
public enum StorageTrouble {
    FULL(507, "storage_full", "the hub's disk is full: nothing can be stored until space is freed"),
    UNREACHABLE(503, "database_unavailable", "the hub's database cannot be reached; try again shortly");

    public final int status;
    public final String code;
    public final String message;

    StorageTrouble(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public static Optional<StorageTrouble> of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return Optional.of(UNREACHABLE);
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                String text = String.valueOf(sql.getMessage());
                if (text.contains("SQLITE_FULL") || state.startsWith("53")) {
                    return Optional.of(FULL);
                }
                if (state.startsWith("08")) {
                    return Optional.of(UNREACHABLE);
                }
            }
        }
        return Optional.empty();
    }
}
