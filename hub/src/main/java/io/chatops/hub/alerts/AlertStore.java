package io.chatops.hub.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.db.Locks;
import io.chatops.hub.db.Rows;
import io.chatops.hub.notify.Notice;
import io.chatops.hub.notify.NotificationService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Alert rules and alerts: owns the {@code alert_rules} and {@code alerts} tables. */
final class AlertStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE_COLUMNS = "id, name, enabled, severity, kind, metric, op, threshold, container, for_seconds,"
            + " scope, channel_ids, repeat_seconds, created_at, created_by";
    private static final String ALERT_COLUMNS = "id, rule_id, server_id, subject, state, value, started_at, firing_at,"
            + " resolved_at, acknowledged_by, acknowledged_at, last_notified_at";

    private final Jdbi jdbi;
    private final NotificationService notifications;

    AlertStore(Jdbi jdbi, NotificationService notifications) {
        this.jdbi = jdbi;
        this.notifications = notifications;
    }

    void insertRule(AlertRule rule) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO alert_rules (" + RULE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, rule.id()).bind(1, rule.name()).bind(2, rule.enabled()).bind(3, AlertRule.wire(rule.severity()))
                .bind(4, AlertRule.wire(rule.kind())).bind(5, rule.metric() == null ? null : rule.metric().wireName())
                .bind(6, rule.op() == null ? null : rule.op().symbol).bind(7, rule.threshold()).bind(8, rule.container())
                .bind(9, rule.forSeconds()).bind(10, write(rule.scope().json())).bind(11, write(rule.channelIds()))
                .bind(12, rule.repeatSeconds()).bind(13, rule.createdAt().toEpochMilli()).bind(14, rule.createdBy()).execute());
    }

    void updateRule(AlertRule rule) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE alert_rules SET name = ?, enabled = ?, severity = ?, kind = ?, metric = ?, op = ?,"
                        + " threshold = ?, container = ?, for_seconds = ?, scope = ?, channel_ids = ?, repeat_seconds = ? WHERE id = ?")
                .bind(0, rule.name()).bind(1, rule.enabled()).bind(2, AlertRule.wire(rule.severity()))
                .bind(3, AlertRule.wire(rule.kind())).bind(4, rule.metric() == null ? null : rule.metric().wireName())
                .bind(5, rule.op() == null ? null : rule.op().symbol).bind(6, rule.threshold()).bind(7, rule.container())
                .bind(8, rule.forSeconds()).bind(9, write(rule.scope().json())).bind(10, write(rule.channelIds()))
                .bind(11, rule.repeatSeconds()).bind(12, rule.id()).execute());
    }

    /** Deletes the rule; its alerts go with it (ON DELETE CASCADE). */
    boolean deleteRule(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM alert_rules WHERE id = ?").bind(0, id).execute()) == 1;
    }

    List<AlertRule> rules() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RULE_COLUMNS + " FROM alert_rules ORDER BY created_at")
                .map((rs, ctx) -> rule(rs)).list());
    }

    Optional<AlertRule> rule(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RULE_COLUMNS + " FROM alert_rules WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> rule(rs)).findOne());
    }

    /**
     * Records a new alert or a change of an open one, and the notice it causes (if any) for the rule's
     * channels, in one transaction: a notification exists exactly when its change does. False when
     * the alert is gone (its rule or server was deleted meanwhile) or already resolved, so a stale
     * change never reopens or rewrites an ended alert.
     */
    boolean record(Alert alert, boolean isNew, Notice notice, List<String> channelIds) {
        boolean done;
        try {
            done = recordOnce(alert, isNew, notice, channelIds);
        } catch (UnableToExecuteStatementException e) {
            if (!isNew || !(e.getCause() instanceof SQLException refused) || !violatesConstraint(refused)) {
                throw e;
            }
            // Another hub instance opened this alert first (one open alert per rule, server and subject), or the server is gone.
            return false;
        }
        if (done && notice != null && !channelIds.isEmpty()) {
            notifications.wake();
        }
        return done;
    }

    private boolean recordOnce(Alert alert, boolean isNew, Notice notice, List<String> channelIds) {
        return jdbi.inTransaction(h -> {
            int rows = isNew
                    ? h.createUpdate("INSERT INTO alerts (" + ALERT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                            .bind(0, alert.id()).bind(1, alert.ruleId()).bind(2, alert.serverId()).bind(3, alert.subject())
                            .bind(4, alert.state().wireName()).bind(5, alert.value()).bind(6, alert.startedAt().toEpochMilli())
                            .bind(7, millis(alert.firingAt())).bind(8, millis(alert.resolvedAt())).bind(9, alert.acknowledgedBy())
                            .bind(10, millis(alert.acknowledgedAt())).bind(11, millis(alert.lastNotifiedAt())).execute()
                    : h.createUpdate("UPDATE alerts SET state = ?, value = ?, firing_at = ?, resolved_at = ?, last_notified_at = ?"
                                    + " WHERE id = ? AND resolved_at IS NULL")
                            .bind(0, alert.state().wireName()).bind(1, alert.value()).bind(2, millis(alert.firingAt()))
                            .bind(3, millis(alert.resolvedAt())).bind(4, millis(alert.lastNotifiedAt())).bind(5, alert.id()).execute();
            if (rows == 1 && notice != null) {
                notifications.enqueue(h, channelIds, notice);
            }
            return rows == 1;
        });
    }

    /** Tells those of {@code channelIds} that forget a firing alert unless told again that it still fires. */
    void keepAlive(Notice notice, List<String> channelIds) {
        notifications.keepAlive(channelIds, notice);
    }

    /** Every alert not yet resolved: the evaluator's state after a restart. */
    List<Alert> open() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE resolved_at IS NULL")
                .map((rs, ctx) -> alert(rs)).list());
    }

    /** The server's alerts not yet resolved. */
    List<Alert> openOf(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE resolved_at IS NULL AND server_id = ?")
                .bind(0, serverId).map((rs, ctx) -> alert(rs)).list());
    }

    /** Runs {@code job} unless another hub instance runs the alert timers now; false when it did not run. */
    boolean runTimersAlone(Runnable job) {
        return Locks.ALERT_TIMERS.runIfFree(jdbi, job);
    }

    Optional<Alert> alert(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> alert(rs)).findOne());
    }

    /** Newest first; {@code states} empty means every state. */
    List<Alert> alerts(List<Alert.State> states, String serverId, String ruleId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!states.isEmpty()) {
            sql.append(" AND state IN (").append(String.join(", ", states.stream().map(s -> "?").toList())).append(")");
            states.forEach(state -> args.add(state.wireName()));
        }
        if (serverId != null) {
            sql.append(" AND server_id = ?");
            args.add(serverId);
        }
        if (ruleId != null) {
            sql.append(" AND rule_id = ?");
            args.add(ruleId);
        }
        sql.append(" ORDER BY started_at DESC LIMIT ").append(limit);
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                query.bind(i, args.get(i));
            }
            return query.map((rs, ctx) -> alert(rs)).list();
        });
    }

    boolean acknowledge(String id, String username, Instant at, String comment) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?, ack_comment = ?"
                        + " WHERE id = ?")
                .bind(0, username).bind(1, at.toEpochMilli()).bind(2, comment).bind(3, id).execute()) == 1;
    }

    /** How many alerts fire now, by their rule's severity (wire name). */
    Map<String, Long> firingBySeverity() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT r.severity, COUNT(*) FROM alerts a JOIN alert_rules r ON r.id = a.rule_id"
                        + " WHERE a.state = 'firing' GROUP BY r.severity")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    private static AlertRule rule(ResultSet rs) throws SQLException {
        Map<String, List<String>> scope = read(rs.getString(11), new TypeReference<>() { });
        return new AlertRule(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                AlertRule.Severity.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)),
                AlertRule.Kind.valueOf(rs.getString(5).toUpperCase(java.util.Locale.ROOT)),
                rs.getString(6) == null ? null : AlertMetric.parse(rs.getString(6)),
                rs.getString(7) == null ? null : AlertRule.Op.parse(rs.getString(7)), Rows.doubleOrNull(rs, 8),
                rs.getString(9), rs.getInt(10), new AlertRule.Scope(scope.getOrDefault("server_ids", List.of()),
                        scope.getOrDefault("tags", List.of())),
                read(rs.getString(12), new TypeReference<List<String>>() { }), rs.getInt(13), Instant.ofEpochMilli(rs.getLong(14)),
                rs.getString(15));
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        return new Alert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Alert.State.valueOf(rs.getString(5).toUpperCase(java.util.Locale.ROOT)), Rows.doubleOrNull(rs, 6),
                Instant.ofEpochMilli(rs.getLong(7)), Rows.instant(rs, 8), Rows.instant(rs, 9), rs.getString(10),
                Rows.instant(rs, 11), Rows.instant(rs, 12));
    }

    /** A constraint refused the row: SQLSTATE class 23 on PostgreSQL, SQLITE_CONSTRAINT (19) on SQLite. */
    private static boolean violatesConstraint(SQLException refused) {
        return refused.getSQLState() != null && refused.getSQLState().startsWith("23") || refused.getErrorCode() == 19;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (Exception e) {
            // Written by this store from validated rules, so only tampering gets here.
            throw new IllegalStateException("a stored alert rule is damaged: " + json, e);
        }
    }
}
