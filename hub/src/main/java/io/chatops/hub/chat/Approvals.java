package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Commands waiting for a second operator (CHATOPS.md): owns {@code chat_approvals}. A request is
 * decided at most once: the decision is one conditional UPDATE, so of two approvers at once exactly
 * one wins and the other is told who did.
 */
final class Approvals {
    static final Duration EXPIRES_AFTER = Duration.ofMinutes(10);
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // nothing that reads as another
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, canonical, summary, requester_id, requester_name, platform, chat_user, state, created_at,"
            + " expires_at, decided_by, decided_at, reason";

    /** What runs once approved: {@code run} on servers, or {@code docker stop} of a container. */
    record Canonical(String verb, List<String> serverIds, String command, String container) {
    }

    enum State { PENDING, APPROVED, DENIED, EXPIRED }

    record Request(String id, Canonical canonical, String summary, String requesterId, String requesterName, String platform,
            String chatUser, State state, Instant createdAt, Instant expiresAt, String decidedBy, Instant decidedAt, String reason) {
        /** Pending but past its time: as good as expired. */
        State stateAt(Instant now) {
            return state == State.PENDING && !now.isBefore(expiresAt) ? State.EXPIRED : state;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    Approvals(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    Request request(Canonical canonical, String summary, String requesterId, String requesterName, String platform, String chatUser) {
        Instant now = clock.instant();
        Request request = new Request(newId(), canonical, summary, requesterId, requesterName, platform, chatUser, State.PENDING, now,
                now.plus(EXPIRES_AFTER), null, null, null);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO chat_approvals (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, NULL, NULL, NULL)")
                .bind(0, request.id()).bind(1, write(canonical)).bind(2, summary).bind(3, requesterId).bind(4, requesterName)
                .bind(5, platform).bind(6, chatUser).bind(7, now.toEpochMilli()).bind(8, request.expiresAt().toEpochMilli()).execute());
        return request;
    }

    Optional<Request> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM chat_approvals WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> request(rs)).findOne());
    }

    /** Pending requests that have not expired, oldest first. */
    List<Request> pending() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM chat_approvals WHERE state = 'pending' AND expires_at > ?"
                + " ORDER BY created_at").bind(0, clock.instant().toEpochMilli()).map((rs, ctx) -> request(rs)).list());
    }

    /** Decides a pending, unexpired request; false when it was decided (or expired) before. */
    boolean decide(String id, State decision, String by, String reason) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createUpdate("UPDATE chat_approvals SET state = ?, decided_by = ?, decided_at = ?, reason = ?"
                        + " WHERE id = ? AND state = 'pending' AND expires_at > ?")
                .bind(0, decision.name().toLowerCase(java.util.Locale.ROOT)).bind(1, by).bind(2, now.toEpochMilli()).bind(3, reason)
                .bind(4, id).bind(5, now.toEpochMilli()).execute()) == 1;
    }

    private static Request request(java.sql.ResultSet rs) throws java.sql.SQLException {
        Canonical canonical;
        try {
            canonical = JSON.readValue(rs.getString(2), Canonical.class);
        } catch (Exception e) {
            throw new IllegalStateException("the stored approval request " + rs.getString(1) + " is damaged", e);
        }
        long decidedMillis = rs.getLong(12);
        Instant decidedAt = rs.wasNull() ? null : Instant.ofEpochMilli(decidedMillis);
        return new Request(rs.getString(1), canonical, rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                State.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT)), Instant.ofEpochMilli(rs.getLong(9)),
                Instant.ofEpochMilli(rs.getLong(10)), rs.getString(11), decidedAt, rs.getString(13));
    }

    private static String write(Canonical canonical) {
        try {
            return JSON.writeValueAsString(canonical);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Six characters people can read out and type: "a-k7m2qx". */
    private static String newId() {
        StringBuilder id = new StringBuilder("a-");
        for (int i = 0; i < 6; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
