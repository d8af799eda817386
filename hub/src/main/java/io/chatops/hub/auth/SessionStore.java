package io.chatops.hub.auth;

import io.chatops.hub.actor.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side browser sessions. The cookie carries a random token; the database holds only its
 * hash, the user and the session's CSRF token. A session lasts {@link #LIFETIME}; signing out,
 * a password change or removing the user ends it on the server, whatever the browser keeps.
 */
public final class SessionStore {
    /** A working day and a half: long enough not to annoy, short enough that a stolen cookie ages out. */
    static final Duration LIFETIME = Duration.ofHours(36);

    private final Jdbi jdbi;
    private final Clock clock;

    public SessionStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A new session: the token for the cookie and the CSRF token for the page. */
    public record NewSession(String token, String csrfToken) {
    }

    public NewSession create(String userId) {
        NewSession session = new NewSession(Secrets.generate("cos_"), Secrets.generate(""));
        long now = clock.millis();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .bind(0, Secrets.sha256(session.token())).bind(1, userId).bind(2, session.csrfToken()).bind(3, now)
                .bind(4, now + LIFETIME.toMillis()).execute());
        return session;
    }

    /** The principal of a live session, by the cookie's token. */
    public Optional<Principal> find(String token) {
        String hash = Secrets.sha256(token);
        return jdbi.withHandle(h -> h.createQuery("SELECT u.id, u.username, u.role, s.csrf_token FROM sessions s"
                        + " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?")
                .bind(0, hash).bind(1, clock.millis())
                .map((rs, ctx) -> new Principal(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), hash,
                        rs.getString(4)))
                .findOne());
    }

    public void end(String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE token_hash = ?").bind(0, tokenHash).execute());
    }

    /** Ends every session of the user but {@code keepHash} (null ends them all). */
    public void endAllOf(String userId, String keepHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
                .bind(0, userId).bind(1, keepHash == null ? "" : keepHash).execute());
    }
}
