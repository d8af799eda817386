package io.chatops.hub.commands;

import io.chatops.hub.db.Rows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Every command run through the hub and its result: the per-server command history. */
final class CommandStore {
    private final Jdbi jdbi;

    CommandStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void started(String id, String serverId, String username, String command, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO commands (id, server_id, username, command, status, started_at)"
                        + " VALUES (?, ?, ?, ?, 'running', ?)")
                .bind(0, id).bind(1, serverId).bind(2, username).bind(3, command).bind(4, at.toEpochMilli()).execute());
    }

    void finished(String id, String status, Integer exitCode, String stdout, String stderr, boolean truncated, Instant at,
            Long durationMs, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE commands SET status = ?, exit_code = ?, stdout = ?, stderr = ?, truncated = ?,"
                        + " finished_at = ?, duration_ms = ?, error = ? WHERE id = ? AND status = 'running'")
                .bind(0, status).bind(1, exitCode).bind(2, stdout).bind(3, stderr).bind(4, truncated)
                .bind(5, at.toEpochMilli()).bind(6, durationMs).bind(7, error).bind(8, id).execute());
    }

    Optional<Map<String, Object>> find(String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = ?").bind(0, id).map((rs, ctx) -> row(rs)).findOne());
    }

    List<Map<String, Object>> history(String serverId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE server_id = ? ORDER BY started_at DESC LIMIT " + limit)
                .bind(0, serverId).map((rs, ctx) -> row(rs)).list());
    }

    private static final String SELECT = "SELECT id, server_id, username, command, status, exit_code, stdout, stderr, truncated,"
            + " started_at, finished_at, duration_ms, error FROM commands";

    private static Map<String, Object> row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", rs.getString(1));
        json.put("server_id", rs.getString(2));
        json.put("user", rs.getString(3));
        json.put("command", rs.getString(4));
        json.put("status", rs.getString(5));
        json.put("exit_code", Rows.intOrNull(rs, 6));
        json.put("stdout", rs.getString(7));
        json.put("stderr", rs.getString(8));
        json.put("truncated", rs.getBoolean(9));
        json.put("started_at", Rows.time(rs, 10));
        json.put("finished_at", Rows.time(rs, 11));
        json.put("duration_ms", Rows.longOrNull(rs, 12));
        json.put("error", rs.getString(13));
        return json;
    }
}
