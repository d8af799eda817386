package io.chatops.hub.chat;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * At most so many events a minute per person (a hub user in the room, a chat identity on Slack or
 * Mattermost): enough to work, too few to flood the room, the hub or the fleet. Counted in the
 * database ({@code chat_rate}), so that every hub instance behind a load balancer counts the same
 * events; each event prunes what aged out, so the table holds one minute at most.
 */
final class PerMinute {
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** A subject is the counter's name, a colon and the person, cut to the column's width. */
    private static final int MAX_SUBJECT_CHARS = 300;

    private final String name;
    private final int limit;
    private final Jdbi jdbi;
    private final Clock clock;

    /** {@code name} tells this counter's events from another's in the shared table. */
    PerMinute(String name, int limit, Jdbi jdbi, Clock clock) {
        this.name = name;
        this.limit = limit;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    int limit() {
        return limit;
    }

    /** Whether {@code key} may act now; if so, counts it. */
    boolean allow(String key) {
        long now = clock.millis();
        String subject = subject(key);
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM chat_rate WHERE at <= ?").bind(0, now - WINDOW.toMillis()).execute();
            // Two instances counting the same person at the same instant may both let one more through: a limit of N, N + 1 at worst.
            int inserted = h.createUpdate("INSERT INTO chat_rate (subject, at) SELECT ?, ? WHERE (SELECT COUNT(*) FROM chat_rate"
                    + " WHERE subject = ? AND at > ?) < ?").bind(0, subject).bind(1, now).bind(2, subject).bind(3, now - WINDOW.toMillis())
                    .bind(4, limit).execute();
            return inserted == 1;
        });
    }

    private String subject(String key) {
        String subject = name + ":" + key;
        return subject.length() > MAX_SUBJECT_CHARS ? subject.substring(0, MAX_SUBJECT_CHARS) : subject;
    }
}
