package io.chatops.hub.commands;

import io.chatops.hub.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Every command run through the hub and its result: owns the {@code commands} table. */
final class CommandStore {
    private static final String COLUMNS = "id, server_id, username, command, status, exit_code, stdout, stderr, truncated,"
            + " started_at, finished_at, duration_ms, error";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM commands";

    private final Jdbi jdbi;

    CommandStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a command as running on behalf of hub instance {@code instance}, its answer due by {@code deadline}. */
    void started(String id, String serverId, String username, String command, Instant at, String instance, Instant deadline) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO commands (id, server_id, username, command, status, started_at, instance_id,"
                        + " deadline_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, id).bind(1, serverId).bind(2, username).bind(3, command).bind(4, CommandStatus.RUNNING.wireName())
                .bind(5, at.toEpochMilli()).bind(6, instance).bind(7, deadline.toEpochMilli()).execute());
    }

    /**
     * Ends, as {@code error}, the records still running past their deadline whose instance is not one
     * of {@code alive}; returns them as stored.
     */
    List<CommandRecord> endAbandoned(Collection<String> alive, Instant now, String error) {
        return jdbi.withHandle(h -> h.createQuery("UPDATE commands SET status = :error_status, finished_at = :now,"
                        + " duration_ms = :now - started_at, error = :error WHERE status = :running AND deadline_at < :now"
                        + " AND (instance_id IS NULL OR instance_id NOT IN (<alive>)) RETURNING " + COLUMNS)
                .bind("error_status", CommandStatus.ERROR.wireName()).bind("now", now.toEpochMilli()).bind("error", error)
                .bind("running", CommandStatus.RUNNING.wireName()).bindList("alive", List.copyOf(alive))
                .map((rs, ctx) -> row(rs)).list());
    }

    /**
     * Completes a running command's record and returns it as stored; a record that already ended
     * is left as it is, and returned as it was.
     */
    CommandRecord finished(CommandRecord done) {
        return jdbi.withHandle(h -> h.createQuery("UPDATE commands SET status = ?, exit_code = ?, stdout = ?, stderr = ?, truncated = ?,"
                        + " finished_at = ?, duration_ms = ?, error = ? WHERE id = ? AND status = ? RETURNING " + COLUMNS)
                .bind(0, done.status().wireName()).bind(1, done.exitCode()).bind(2, done.stdout()).bind(3, done.stderr())
                .bind(4, done.truncated()).bind(5, done.finishedAt().toEpochMilli()).bind(6, done.durationMs())
                .bind(7, done.error()).bind(8, done.id()).bind(9, CommandStatus.RUNNING.wireName())
                .map((rs, ctx) -> row(rs)).findOne())
                .or(() -> find(done.id()))
                .orElseThrow(() -> new IllegalStateException("command " + done.id() + " has no record"));
    }

    Optional<CommandRecord> find(String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = ?").bind(0, id).map((rs, ctx) -> row(rs)).findOne());
    }

    List<CommandRecord> history(String serverId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE server_id = ? ORDER BY started_at DESC LIMIT " + limit)
                .bind(0, serverId).map((rs, ctx) -> row(rs)).list());
    }

    private static CommandRecord row(ResultSet rs) throws SQLException {
        return new CommandRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                CommandStatus.parse(rs.getString(5)), Rows.intOrNull(rs, 6), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                Rows.instant(rs, 10), Rows.instant(rs, 11), Rows.longOrNull(rs, 12), rs.getString(13));
    }
}
