package io.chatops.hub.chat;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.auth.UserStore;
import io.chatops.hub.db.Rows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Chat identities bound to hub users (CHATOPS.md): a person on a platform is (platform, team id,
 * user id), bound by a one-time link that a signed-in hub user opens within ten minutes. Owns
 * {@code chat_identities} and {@code chat_link_requests}; a link's nonce is stored only as a hash.
 */
final class ChatIdentities {
    static final Duration LINK_LASTS = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who someone is on a chat platform. */
    record ChatUser(String platform, String teamId, String userId) {
        String describe() {
            return platform + " " + teamId + "/" + userId;
        }

        /** Where this person's commands come from, as the engine records it. */
        ChatEngine.Origin origin() {
            return new ChatEngine.Origin(platform, teamId + "/" + userId);
        }
    }

    private final Jdbi jdbi;
    private final UserStore users;
    private final Clock clock;

    ChatIdentities(Jdbi jdbi, UserStore users, Clock clock) {
        this.jdbi = jdbi;
        this.users = users;
        this.clock = clock;
    }

    /** Who acts for this chat user: the linked hub user with their role now, or someone unlinked with no role. */
    Actor actor(ChatUser who, Actor.Source source) {
        String describe = who.describe();
        return userOf(who).flatMap(users::byId)
                .map(user -> new Actor(user.id(), user.username(), user.role(), source, describe))
                .orElse(Actor.anonymous(describe, source, describe));
    }

    /** The hub user bound to this chat user, if any. */
    Optional<String> userOf(ChatUser who) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM chat_identities WHERE platform = ? AND team_id = ? AND chat_user_id = ?")
                .bind(0, who.platform()).bind(1, who.teamId()).bind(2, who.userId()).mapTo(String.class).findOne());
    }

    /** A new one-time link nonce for {@code who}; only its hash is kept. */
    String newLink(ChatUser who) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM chat_link_requests WHERE expires_at < ?").bind(0, now.toEpochMilli()).execute();
            h.createUpdate("INSERT INTO chat_link_requests (nonce_hash, platform, team_id, chat_user_id, expires_at) VALUES (?, ?, ?, ?, ?)")
                    .bind(0, hash(nonce)).bind(1, who.platform()).bind(2, who.teamId()).bind(3, who.userId())
                    .bind(4, now.plus(LINK_LASTS).toEpochMilli()).execute();
        });
        return nonce;
    }

    /** Binds the chat user of an unexpired link to {@code userId} (replacing an earlier binding); the link is used up. */
    Optional<ChatUser> redeem(String nonce, String userId) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            Optional<ChatUser> who = h.createQuery("SELECT platform, team_id, chat_user_id FROM chat_link_requests WHERE nonce_hash = ? AND expires_at > ?")
                    .bind(0, hash(nonce)).bind(1, now.toEpochMilli())
                    .map((rs, ctx) -> new ChatUser(rs.getString(1), rs.getString(2), rs.getString(3))).findOne();
            h.createUpdate("DELETE FROM chat_link_requests WHERE nonce_hash = ?").bind(0, hash(nonce)).execute();
            who.ifPresent(chat -> {
                h.createUpdate("DELETE FROM chat_identities WHERE platform = ? AND team_id = ? AND chat_user_id = ?")
                        .bind(0, chat.platform()).bind(1, chat.teamId()).bind(2, chat.userId()).execute();
                h.createUpdate("INSERT INTO chat_identities (id, platform, team_id, chat_user_id, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                        .bind(0, UUID.randomUUID().toString()).bind(1, chat.platform()).bind(2, chat.teamId()).bind(3, chat.userId())
                        .bind(4, userId).bind(5, now.toEpochMilli()).execute();
            });
            return who;
        });
    }

    /** The identities bound to {@code userId}. */
    List<Map<String, Object>> of(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, platform, team_id, chat_user_id, created_at FROM chat_identities WHERE user_id = ?"
                + " ORDER BY created_at").bind(0, userId).map((rs, ctx) -> {
                    Map<String, Object> identity = new LinkedHashMap<>();
                    identity.put("id", rs.getString(1));
                    identity.put("platform", rs.getString(2));
                    identity.put("team_id", rs.getString(3));
                    identity.put("user_id", rs.getString(4));
                    identity.put("created_at", Rows.time(rs, 5));
                    return identity;
                }).list());
    }

    /** Unbinds one of {@code userId}'s identities; false when it is not theirs. */
    boolean delete(String id, String userId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM chat_identities WHERE id = ? AND user_id = ?").bind(0, id).bind(1, userId)
                .execute()) == 1;
    }

    private static String hash(String nonce) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
