package io.chatops.hub.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Who did what, from where, to what, and how it ended: one row per state-changing action,
 * written by the service that performs it. Rows are only inserted, never changed or removed
 * through the API. Owns the {@code audit} table.
 */
public final class AuditLog {
    /** The most a single query returns, whatever the client asks. */
    public static final int MAX_LIMIT = 1_000;

    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void record(AuditEvent event) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit (id, at, user_id, username, source, source_ip, action, target,"
                        + " outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, UUID.randomUUID().toString()).bind(1, clock.millis())
                .bind(2, event.actor().userId()).bind(3, event.actor().username())
                .bind(4, event.actor().source().wireName()).bind(5, event.actor().address())
                .bind(6, event.action()).bind(7, event.target()).bind(8, event.outcome()).bind(9, event.detail()).execute());
    }

    /** Newest first, filtered by any of server id (in the target), user name and action. */
    public List<Map<String, Object>> query(String serverId, String user, String action, int limit) {
        StringBuilder sql = new StringBuilder("SELECT at, username, source_ip, action, target, outcome, detail, source FROM audit"
                + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (serverId != null) {
            sql.append(" AND target = ?");
            args.add(AuditEvent.server(serverId));
        }
        if (user != null) {
            sql.append(" AND username = ?");
            args.add(user);
        }
        if (action != null) {
            sql.append(" AND action = ?");
            args.add(action);
        }
        sql.append(" ORDER BY at DESC LIMIT ").append(Math.max(1, Math.min(limit, MAX_LIMIT)));
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                query.bind(i, args.get(i));
            }
            return query.map((rs, ctx) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("time", Instant.ofEpochMilli(rs.getLong(1)).toString());
                row.put("user", rs.getString(2));
                row.put("source", rs.getString(8));
                row.put("source_ip", rs.getString(3));
                row.put("action", rs.getString(4));
                row.put("target", rs.getString(5));
                row.put("outcome", rs.getString(6));
                row.put("detail", rs.getString(7));
                return row;
            }).list();
        });
    }
}
