package io.chatops.hub.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Notification channels: owns the {@code notification_channels} table. */
final class ChannelStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, name, type, config, enabled, created_at";

    private final Jdbi jdbi;

    ChannelStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(Channel channel) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO notification_channels (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, channel.id()).bind(1, channel.name()).bind(2, channel.type().wireName()).bind(3, write(channel.config()))
                .bind(4, channel.enabled()).bind(5, channel.createdAt().toEpochMilli()).execute());
    }

    void update(Channel channel) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notification_channels SET name = ?, config = ?, enabled = ? WHERE id = ?")
                .bind(0, channel.name()).bind(1, write(channel.config())).bind(2, channel.enabled()).bind(3, channel.id()).execute());
    }

    /** Deletes the channel; its notifications go with it (ON DELETE CASCADE). */
    boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM notification_channels WHERE id = ?").bind(0, id).execute()) == 1;
    }

    List<Channel> all() {
        return jdbi.withHandle(this::all);
    }

    /** Every channel, read on {@code handle}: inside a caller's transaction, without a second connection. */
    List<Channel> all(Handle handle) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM notification_channels ORDER BY created_at")
                .map((rs, ctx) -> channel(rs)).list();
    }

    Optional<Channel> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM notification_channels WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> channel(rs)).findOne());
    }

    private static Channel channel(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> config;
        try {
            config = JSON.readValue(rs.getString(4), new TypeReference<>() { });
        } catch (Exception e) {
            throw new IllegalStateException("the stored config of channel " + rs.getString(1) + " is damaged", e);
        }
        return new Channel(rs.getString(1), rs.getString(2), Channel.Type.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)), config,
                rs.getBoolean(5), Instant.ofEpochMilli(rs.getLong(6)));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a channel's config", e);
        }
    }
}
