package io.chatops.hub.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Limits failed sign-ins per username and per source address: {@link #MAX_FAILURES} in
 * {@link #WINDOW}, then 429 until the oldest failure ages out. Kept in the database
 * ({@code login_failures}), so that every hub instance counts the same failures and a restart
 * forgets nothing; each failure prunes what aged out, so the table holds one window at most.
 * <p>
 * A subject found over the limit is remembered for {@link #RECHECK_EVERY}, so that a brute-forcer's
 * further attempts are refused without asking the database, and its refusals are recorded in the
 * audit log once per {@link #RECORD_EVERY} with their count, not one by one: 50 clients guessing as
 * fast as the hub answered wrote 700 audit rows a second, each a synced commit, and slowed 200 agents'
 * acknowledgements 56-fold.
 */
public final class LoginLimiter {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration RECHECK_EVERY = Duration.ofSeconds(10);
    static final Duration RECORD_EVERY = Duration.ofMinutes(1);
    /** Blocked subjects remembered at most; past it they are forgotten and asked of the database again. */
    static final int MAX_REMEMBERED = 10_000;
    /** A subject is "user:" or "ip:" and what was sent, cut to the column's width. */
    private static final int MAX_SUBJECT_CHARS = 300;

    /**
     * An attempt refused: whether to record it in the audit log, and how many were refused since the
     * last one recorded for the same subject (this one included).
     */
    public record Refusal(boolean record, long refused) {
    }

    /** A blocked subject: until when that is taken for granted, and its refusals since the last recorded. */
    private static final class Blocked {
        volatile long recheckAt;
        private long unrecorded;
        private long recordedAt = Long.MIN_VALUE;

        synchronized Refusal refuse(long now) {
            unrecorded++;
            if (recordedAt != Long.MIN_VALUE && now - recordedAt < RECORD_EVERY.toMillis()) {
                return new Refusal(false, unrecorded);
            }
            Refusal refusal = new Refusal(true, unrecorded);
            unrecorded = 0;
            recordedAt = now;
            return refusal;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<String, Blocked> blocked = new ConcurrentHashMap<>();

    public LoginLimiter(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Empty when the attempt may go on; otherwise why not, with whether to record it. */
    public Optional<Refusal> check(String username, String address) {
        long now = clock.millis();
        String user = subject("user:", username);
        String ip = subject("ip:", address);
        Blocked known = remembered(ip, now);
        if (known == null) {
            known = remembered(user, now);
        }
        if (known == null) {
            // Either subject over the limit blocks; both are remembered, and the address's count goes first.
            List<String> over = jdbi.withHandle(h -> h.createQuery("SELECT subject FROM login_failures WHERE subject IN (?, ?)"
                            + " AND at > ? GROUP BY subject HAVING COUNT(*) >= ?")
                    .bind(0, user).bind(1, ip).bind(2, now - WINDOW.toMillis()).bind(3, MAX_FAILURES)
                    .mapTo(String.class).list());
            if (over.isEmpty()) {
                return Optional.empty();
            }
            if (blocked.size() >= MAX_REMEMBERED) {
                blocked.clear();
            }
            for (String subject : over) {
                blocked.computeIfAbsent(subject, s -> new Blocked()).recheckAt = now + RECHECK_EVERY.toMillis();
            }
            known = blocked.computeIfAbsent(over.contains(ip) ? ip : user, subject -> new Blocked());
        }
        return Optional.of(known.refuse(now));
    }

    private Blocked remembered(String subject, long now) {
        Blocked known = blocked.get(subject);
        return known != null && known.recheckAt > now ? known : null;
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
