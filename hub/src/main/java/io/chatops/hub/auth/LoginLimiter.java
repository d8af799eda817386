package io.chatops.hub.auth;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * Limits failed sign-ins per username and per source address: {@link #MAX_FAILURES} in
 * {@link #WINDOW}, then 429 until the oldest failure ages out. Kept in the database
 * ({@code login_failures}), so that every hub instance counts the same failures and a restart
 * forgets nothing; each failure prunes what aged out, so the table holds one window at most.
 */
public final class LoginLimiter {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** A subject is "user:" or "ip:" and what was sent, cut to the column's width. */
    private static final int MAX_SUBJECT_CHARS = 300;

    private final Jdbi jdbi;
    private final Clock clock;

    public LoginLimiter(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public boolean blocked(String username, String address) {
        long since = clock.millis() - WINDOW.toMillis();
        // Either subject over the limit blocks.
        return jdbi.withHandle(h -> h.createQuery("SELECT subject FROM login_failures WHERE subject IN (?, ?) AND at > ?"
                        + " GROUP BY subject HAVING COUNT(*) >= ?")
                .bind(0, subject("user:", username)).bind(1, subject("ip:", address)).bind(2, since).bind(3, MAX_FAILURES)
                .mapTo(String.class).findFirst().isPresent());
    }

    public void failed(String username, String address) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM login_failures WHERE at <= ?").bind(0, now - WINDOW.toMillis()).execute();
            h.prepareBatch("INSERT INTO login_failures (subject, at) VALUES (?, ?)")
                    .bind(0, subject("user:", username)).bind(1, now).add()
                    .bind(0, subject("ip:", address)).bind(1, now).add()
                    .execute();
        });
    }

    private static String subject(String kind, String value) {
        String subject = kind + value;
        return subject.length() > MAX_SUBJECT_CHARS ? subject.substring(0, MAX_SUBJECT_CHARS) : subject;
    }
}
