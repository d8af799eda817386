package io.chatops.hub.alerts;

import io.chatops.hub.db.Rows;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Silences: owns the {@code silences} table. */
final class SilenceStore {
    private static final String COLUMNS = "id, server_id, rule_id, subject, until, reason, created_by, created_at";

    private final Jdbi jdbi;

    SilenceStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores a silence; those that have ended by its creation go, so the table holds only what still counts. */
    void insert(Silence silence) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM silences WHERE until <= ?").bind(0, silence.createdAt().toEpochMilli()).execute();
            h.createUpdate("INSERT INTO silences (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, silence.id()).bind(1, silence.serverId()).bind(2, silence.ruleId()).bind(3, silence.subject())
                    .bind(4, silence.until().toEpochMilli()).bind(5, silence.reason()).bind(6, silence.createdBy())
                    .bind(7, silence.createdAt().toEpochMilli()).execute();
        });
    }

    boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM silences WHERE id = ?").bind(0, id).execute()) == 1;
    }

    /** Silences that have not ended by {@code now}, soonest end first: a read, never a write. */
    List<Silence> active(Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM silences WHERE until > ? ORDER BY until")
                .bind(0, now.toEpochMilli())
                .map((rs, ctx) -> new Silence(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Rows.instant(rs, 5),
                        rs.getString(6), rs.getString(7), Rows.instant(rs, 8)))
                .list());
    }
}
