package io.chatops.hub.notify;

import io.chatops.hub.db.Rows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The notifications waiting to be sent, sent, or given up on: owns the {@code notifications} table.
 * A notification is written by whoever decided it (in their transaction, {@link #enqueue}) and sent
 * by the {@link DeliveryWorker}; of one alert's notifications to one channel, only the oldest
 * pending one is ever due, so a "resolved" never overtakes its "firing".
 */
final class Outbox {
    enum State { PENDING, SENT, FAILED }

    record Pending(String id, String channelId, String alertId, String event, String body, int attempts, Instant createdAt,
            long nextAttemptAt) {
    }

    private static final String DUE = "SELECT id, channel_id, alert_id, event, body, attempts, created_at, next_attempt_at FROM notifications n"
            + " WHERE state = 'pending' AND next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM notifications e"
            + " WHERE e.alert_id = n.alert_id AND e.channel_id = n.channel_id AND e.state = 'pending' AND e.created_at < n.created_at)"
            + " ORDER BY next_attempt_at LIMIT ?";

    private final Jdbi jdbi;
    private final NoticeButtons buttons;
    /** Creation times strictly increase, so that two notices of one alert in the same millisecond keep their order. */
    private final AtomicLong lastCreated = new AtomicLong();

    Outbox(Jdbi jdbi, NoticeButtons buttons) {
        this.jdbi = jdbi;
        this.buttons = buttons;
    }

    /** Writes one notification per channel in the caller's transaction; the id is each one's webhook-id. */
    void enqueue(Handle transaction, List<Channel> channels, Notice notice, Instant now) {
        PreparedBatch insert = transaction.prepareBatch("INSERT INTO notifications (id, channel_id, alert_id, event, body, state,"
                + " attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)");
        for (Channel channel : channels) {
            long created = lastCreated.updateAndGet(last -> Math.max(last + 1, now.toEpochMilli()));
            insert.bind(0, "msg_" + UUID.randomUUID().toString().replace("-", "")).bind(1, channel.id()).bind(2, notice.alertId())
                    .bind(3, notice.event()).bind(4, Formats.body(channel.type(), notice, now, buttons)).bind(5, created).bind(6, now.toEpochMilli())
                    .add();
        }
        if (!channels.isEmpty()) {
            insert.execute();
        }
    }

    /**
     * Writes {@code notice} again for each of {@code channels} that has nothing of this alert waiting,
     * in place of the one written the last time: a notice that only keeps an alert alive needs no
     * history. Returns how many it wrote.
     */
    int writeAgain(List<Channel> channels, Notice notice, Instant now) {
        return jdbi.inTransaction(h -> {
            List<Channel> idle = channels.stream().filter(channel -> h.createQuery("SELECT COUNT(*) FROM notifications"
                    + " WHERE alert_id = ? AND channel_id = ? AND state = 'pending'").bind(0, notice.alertId()).bind(1, channel.id())
                    .mapTo(Integer.class).one() == 0).toList();
            for (Channel channel : idle) {
                h.createUpdate("DELETE FROM notifications WHERE alert_id = ? AND channel_id = ? AND event = ?")
                        .bind(0, notice.alertId()).bind(1, channel.id()).bind(2, notice.event()).execute();
            }
            enqueue(h, idle, notice, now);
            return idle.size();
        });
    }

    List<Pending> due(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery(DUE).bind(0, now.toEpochMilli()).bind(1, limit)
                .map((rs, ctx) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getLong(8)))
                .list());
    }

    /**
     * Claims {@code due} for one attempt by hub instance {@code by} until {@code until}: false when
     * another instance (or an earlier poll) claimed it first. A claim of an instance that dies is
     * released when that is known ({@link #releaseClaimsExcept}), or runs out by itself: delivered
     * at least once, each time by one instance.
     */
    boolean claim(Pending due, String by, Instant until) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE notifications SET next_attempt_at = ?, claimed_by = ? WHERE id = ?"
                + " AND state = 'pending' AND next_attempt_at = ?").bind(0, until.toEpochMilli()).bind(1, by).bind(2, due.id())
                .bind(3, due.nextAttemptAt()).execute()) == 1;
    }

    /** Makes the notifications claimed by instances other than {@code alive} due {@code now}: their senders are gone. */
    int releaseClaimsExcept(Collection<String> alive, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE notifications SET next_attempt_at = :now, claimed_by = NULL"
                        + " WHERE state = 'pending' AND claimed_by IS NOT NULL AND claimed_by NOT IN (<alive>)")
                .bind("now", now.toEpochMilli()).bindList("alive", List.copyOf(alive)).execute());
    }

    void sent(String id, int attempts, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notifications SET state = 'sent', attempts = ?, sent_at = ?, last_error = NULL,"
                + " next_attempt_at = ?, claimed_by = NULL WHERE id = ?").bind(0, attempts).bind(1, at.toEpochMilli()).bind(2, at.toEpochMilli())
                .bind(3, id).execute());
    }

    void retryAt(String id, int attempts, Instant next, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notifications SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_by = NULL"
                + " WHERE id = ?")
                .bind(0, attempts).bind(1, next.toEpochMilli()).bind(2, error).bind(3, id).execute());
    }

    void failed(String id, int attempts, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notifications SET state = 'failed', attempts = ?, last_error = ?, claimed_by = NULL"
                + " WHERE id = ?")
                .bind(0, attempts).bind(1, error).bind(2, id).execute());
    }

    /** Newest first, as {@code GET /notifications} shows them (without their bodies). */
    List<Map<String, Object>> list(String channelId, State state, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, channel_id, alert_id, event, state, attempts, created_at, next_attempt_at,"
                + " last_error, sent_at FROM notifications WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (channelId != null) {
            sql.append(" AND channel_id = ?");
            args.add(channelId);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.name().toLowerCase(java.util.Locale.ROOT));
        }
        sql.append(" ORDER BY created_at DESC LIMIT ").append(limit);
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                query.bind(i, args.get(i));
            }
            return query.map((rs, ctx) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getString(1));
                row.put("channel_id", rs.getString(2));
                row.put("alert_id", rs.getString(3));
                row.put("event", rs.getString(4));
                row.put("state", rs.getString(5));
                row.put("attempts", rs.getInt(6));
                row.put("created_at", Rows.time(rs, 7));
                row.put("next_attempt_at", "pending".equals(rs.getString(5)) ? Rows.time(rs, 8) : null);
                row.put("last_error", rs.getString(9));
                row.put("sent_at", Rows.time(rs, 10));
                return row;
            }).list();
        });
    }
}
