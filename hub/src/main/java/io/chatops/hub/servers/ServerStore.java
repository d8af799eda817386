package io.chatops.hub.servers;

import io.chatops.hub.db.Rows;
import io.chatops.hub.http.ApiError;
import io.chatops.protocol.JsonTree;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Servers and their agent API keys: owns the {@code servers} and {@code api_keys} tables, including
 * each server's {@code last_seq} (the newest sample stored, told to its agent at every handshake),
 * which the metrics writer advances inside its own transaction through {@link #advanceLastSeq}.
 */
public final class ServerStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public ServerStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** @param metricsIntervalSeconds the server's own sample interval; null follows the hub's default */
    public record Server(String id, String name, List<String> tags, Instant createdAt, Integer metricsIntervalSeconds) {
    }

    /** A key as created: the only time its plaintext exists outside the agent's configuration. */
    public record NewKey(String id, String key, String name) {
    }

    /**
     * What a presented key belongs to; {@code lastSeq} is the highest sample sequence number stored
     * for the server, for the handshake's answer.
     */
    public record KeyOwner(String keyId, String serverId, String serverName, boolean revoked, Instant expiresAt,
            Integer metricsIntervalSeconds, long lastSeq) {
        public boolean expiredAt(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    public Server create(String name, List<String> tags) {
        Server server = new Server(UUID.randomUUID().toString(), name, List.copyOf(tags), clock.instant(), null);
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
        return jdbi.withHandle(h -> h.createQuery("SELECT k.id, k.server_id, s.name, k.revoked, k.expires_at,"
                        + " s.metrics_interval_seconds, s.last_seq FROM api_keys k JOIN servers s ON s.id = k.server_id"
                        + " WHERE k.key_hash = ?")
                .bind(0, ApiKeys.hash(key))
                .map((rs, ctx) -> {
                    boolean revoked = rs.getBoolean(4);
                    return new KeyOwner(rs.getString(1), rs.getString(2), rs.getString(3), revoked, Rows.instant(rs, 5),
                            Rows.intOrNull(rs, 6), rs.getLong(7));
                })
                .findOne());
    }

    /** Revokes a key; the id of its server, or empty when there is no such key. */
    public Optional<String> revokeKey(String keyId) {
        return jdbi.inTransaction(h -> {
            Optional<String> serverId = h.createQuery("SELECT server_id FROM api_keys WHERE id = ?").bind(0, keyId)
                    .mapTo(String.class).findOne();
            serverId.ifPresent(id -> h.createUpdate("UPDATE api_keys SET revoked = TRUE WHERE id = ?").bind(0, keyId).execute());
            return serverId;
        });
    }

    public Optional<Server> byId(String id) {
        return find("id", id);
    }

    /** The server with this id, or a 404 naming it: for routes below {@code /servers/{id}}. */
    public Server require(String id) {
        return byId(id).orElseThrow(() -> ApiError.notFound("server " + id + " does not exist"));
    }

    public Optional<Server> byName(String name) {
        return find("name", name);
    }

    private Optional<Server> find(String column, String value) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, tags, created_at, metrics_interval_seconds FROM servers WHERE " + column + " = ?")
                .bind(0, value).map((rs, ctx) -> server(rs)).findOne());
    }

    /** Every server with what the list view shows: when it was last seen and the agent's inventory. */
    public List<Row> all() {
        return jdbi.withHandle(h -> h.createQuery(ROWS + " ORDER BY name").map((rs, ctx) -> row(rs)).list());
    }

    public Optional<Row> row(String id) {
        return jdbi.withHandle(h -> h.createQuery(ROWS + " WHERE id = ?").bind(0, id).map((rs, ctx) -> row(rs)).findOne());
    }

    private static final String ROWS = "SELECT id, name, tags, created_at, metrics_interval_seconds, last_seen, agent FROM servers";

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(server(rs), Rows.instant(rs, 6), rs.getString(7));
    }

    /** A server with its last contact and the inventory its agent sent (JSON), if any. */
    public record Row(Server server, Instant lastSeen, String agentJson) {
    }

    /** What a PATCH changes: null fields stay as they are; {@code interval} set to an empty Optional returns to the default. */
    public record Change(String name, List<String> tags, Optional<Integer> interval) {
    }

    public void update(String id, Change change) {
        jdbi.useTransaction(h -> {
            if (change.name() != null) {
                h.createUpdate("UPDATE servers SET name = ? WHERE id = ?").bind(0, change.name()).bind(1, id).execute();
            }
            if (change.tags() != null) {
                h.createUpdate("UPDATE servers SET tags = ? WHERE id = ?").bind(0, JsonTree.write(change.tags())).bind(1, id)
                        .execute();
            }
            if (change.interval() != null) {
                h.createUpdate("UPDATE servers SET metrics_interval_seconds = ? WHERE id = ?")
                        .bind(0, change.interval().orElse(null)).bind(1, id).execute();
            }
        });
    }

    /** Deletes the server; its keys, samples, rollups and commands go with it (ON DELETE CASCADE). */
    public void delete(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM servers WHERE id = ?").bind(0, id).execute());
    }

    public List<Map<String, Object>> keys(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked"
                        + " FROM api_keys WHERE server_id = ? ORDER BY created_at")
                .bind(0, serverId)
                .map((rs, ctx) -> {
                    Map<String, Object> key = new LinkedHashMap<>();
                    key.put("id", rs.getString(1));
                    key.put("name", rs.getString(2));
                    key.put("prefix", rs.getString(3));
                    key.put("created_at", Rows.time(rs, 4));
                    key.put("last_used_at", Rows.time(rs, 5));
                    key.put("expires_at", Rows.time(rs, 6));
                    key.put("revoked", rs.getBoolean(7));
                    return key;
                }).list());
    }

    @SuppressWarnings("unchecked")
    private static Server server(java.sql.ResultSet rs) throws java.sql.SQLException {
        List<String> tags;
        try {
            tags = (List<String>) JsonTree.parse(rs.getString(3));
        } catch (java.io.IOException e) {
            tags = List.of();
        }
        return new Server(rs.getString(1), rs.getString(2), tags, Instant.ofEpochMilli(rs.getLong(4)), Rows.intOrNull(rs, 5));
    }

    /** The highest sample sequence number stored for the server; 0 when none. */
    public long lastSeq(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_seq FROM servers WHERE id = ?")
                .bind(0, serverId).mapTo(Long.class).findOne().orElse(0L));
    }

    /**
     * Advances each server's {@code last_seq} (never backwards) and {@code last_seen} inside the
     * caller's transaction, so that they commit together with the samples they count.
     */
    public void advanceLastSeq(Handle transaction, Map<String, Long> highestSeqByServer, Instant seenAt) {
        PreparedBatch advance = transaction.prepareBatch("UPDATE servers SET last_seq = ?, last_seen = ? WHERE id = ? AND last_seq < ?");
        highestSeqByServer.forEach((serverId, seq) ->
                advance.bind(0, seq).bind(1, seenAt.toEpochMilli()).bind(2, serverId).bind(3, seq).add());
        advance.execute();
    }
}
