package io.chatops.hub.auth;

import io.chatops.hub.actor.Role;
import io.chatops.hub.db.Rows;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Personal API tokens for scripts ({@code Authorization: Bearer cot_…}); stored only as hashes. */
public final class TokenStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public TokenStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record NewToken(String id, String token) {
    }

    public NewToken create(String userId, String name, Instant expiresAt) {
        NewToken created = new NewToken(UUID.randomUUID().toString(), Secrets.generate("cot_"));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, created.id()).bind(1, userId).bind(2, name).bind(3, Secrets.sha256(created.token()))
                .bind(4, clock.millis()).bind(5, expiresAt == null ? null : expiresAt.toEpochMilli()).execute());
        return created;
    }

    /** The principal of a live token; notes when the token was last used. */
    public Optional<Principal> find(String token) {
        long now = clock.millis();
        String hash = Secrets.sha256(token);
        Optional<Principal> found = jdbi.withHandle(h -> h.createQuery("SELECT u.id, u.username, u.role FROM api_tokens t"
                        + " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND NOT t.revoked"
                        + " AND (t.expires_at IS NULL OR t.expires_at > ?)")
                .bind(0, hash).bind(1, now)
                .map((rs, ctx) -> new Principal(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), null, null))
                .findOne());
        found.ifPresent(p -> jdbi.useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?")
                .bind(0, now).bind(1, hash).execute()));
        return found;
    }

    public List<Map<String, Object>> list(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_at, expires_at, last_used_at, revoked"
                        + " FROM api_tokens WHERE user_id = ? ORDER BY created_at")
                .bind(0, userId)
                .map((rs, ctx) -> {
                    Map<String, Object> token = new LinkedHashMap<>();
                    token.put("id", rs.getString(1));
                    token.put("name", rs.getString(2));
                    token.put("created_at", Rows.time(rs, 3));
                    token.put("expires_at", Rows.time(rs, 4));
                    token.put("last_used_at", Rows.time(rs, 5));
                    token.put("revoked", rs.getBoolean(6));
                    return token;
                }).list());
    }

    /** Revokes the user's token; false when the user has no such token. */
    public boolean revoke(String userId, String tokenId) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE api_tokens SET revoked = TRUE WHERE id = ? AND user_id = ?")
                .bind(0, tokenId).bind(1, userId).execute()) == 1;
    }
}
