package io.chatops.hub.servers;

import io.chatops.protocol.JsonTree;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Servers and their agent API keys. */
public final class ServerStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public ServerStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record Server(String id, String name, List<String> tags, Instant createdAt) {
    }

    /** A key as created: the only time its plaintext exists outside the agent's configuration. */
    public record NewKey(String id, String key, String name) {
    }

    /** What a presented key belongs to. */
    public record KeyOwner(String keyId, String serverId, String serverName, boolean revoked, Instant expiresAt) {
        public boolean expiredAt(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    public Server create(String name, List<String> tags) {
        Server server = new Server(UUID.randomUUID().toString(), name, List.copyOf(tags), clock.instant());
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO servers (id, name, tags, created_at) VALUES (?, ?, ?, ?)")
                .bind(0, server.id()).bind(1, name).bind(2, JsonTree.write(tags))
                .bind(3, server.createdAt().toEpochMilli()).execute());
        return server;
    }

    public NewKey createKey(String serverId, String name, Instant expiresAt) {
        String key = ApiKeys.generate();
        NewKey created = new NewKey(UUID.randomUUID().toString(), key, name);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_keys (id, server_id, name, prefix, key_hash, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, created.id()).bind(1, serverId).bind(2, name).bind(3, ApiKeys.visiblePrefix(key))
                .bind(4, ApiKeys.hash(key)).bind(5, clock.millis())
                .bind(6, expiresAt == null ? null : expiresAt.toEpochMilli()).execute());
        return created;
    }

    /** The owner of a presented key, found by its hash. */
    public Optional<KeyOwner> findKey(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT k.id, k.server_id, s.name, k.revoked, k.expires_at"
                        + " FROM api_keys k JOIN servers s ON s.id = k.server_id WHERE k.key_hash = ?")
                .bind(0, ApiKeys.hash(key))
                .map((rs, ctx) -> {
                    long expires = rs.getLong(5);
                    Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
                    return new KeyOwner(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), expiresAt);
                })
                .findOne());
    }

    public void revokeKey(String keyId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET revoked = TRUE WHERE id = ?").bind(0, keyId).execute());
    }

    /** The agent connected with this key and described itself. */
    public void recordConnection(String serverId, String keyId, String agentJson) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE servers SET agent = ?, last_seen = ? WHERE id = ?")
                    .bind(0, agentJson).bind(1, now).bind(2, serverId).execute();
            h.createUpdate("UPDATE api_keys SET last_used_at = ? WHERE id = ?").bind(0, now).bind(1, keyId).execute();
        });
    }
}
