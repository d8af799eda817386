package io.chatops.hub.auth;

import io.chatops.hub.actor.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Users, their roles and password hashes. */
public final class UserStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public UserStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record User(String id, String username, Role role, Instant createdAt, String passwordHash) {
    }

    public Optional<User> byUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, username, role, created_at, password_hash FROM users WHERE username = ?")
                .bind(0, username).map((rs, ctx) -> user(rs)).findOne());
    }

    public Optional<User> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, username, role, created_at, password_hash FROM users WHERE id = ?")
                .bind(0, id).map((rs, ctx) -> user(rs)).findOne());
    }

    public List<User> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, username, role, created_at, password_hash FROM users ORDER BY username")
                .map((rs, ctx) -> user(rs)).list());
    }

    public User create(String username, String password, Role role) {
        User user = new User(UUID.randomUUID().toString(), username, role, clock.instant(), Passwords.hash(password));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(0, user.id()).bind(1, username).bind(2, user.passwordHash()).bind(3, role.wireName())
                .bind(4, user.createdAt().toEpochMilli()).execute());
        return user;
    }

    public void setRole(String id, Role role) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET role = ? WHERE id = ?").bind(0, role.wireName()).bind(1, id).execute());
    }

    public void setPassword(String id, String password) {
        String hash = Passwords.hash(password);
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = ? WHERE id = ?").bind(0, hash).bind(1, id).execute());
    }

    public void delete(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM users WHERE id = ?").bind(0, id).execute());
    }

    public int countAdmins() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE role = 'admin'").mapTo(Integer.class).one());
    }

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getString(5));
    }
}
