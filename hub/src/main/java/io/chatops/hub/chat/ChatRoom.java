package io.chatops.hub.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.alerts.AlertService;
import io.chatops.hub.db.Rows;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.live.LivePublisher;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * The web interface's chat room (CHATOPS.md): everyone signed in reads it; what a viewer or more
 * posts is stored, shown to all on the live {@code chat} topic, and answered by the engine as the
 * bot in a message of its own, which a fan-out job rewrites as servers finish. Owns
 * {@code chat_messages}; keeps the newest {@value #KEPT} messages.
 */
public final class ChatRoom implements AutoCloseable {
    static final int KEPT = 10_000;
    static final int MAX_TEXT = ChatLine.MAX_CHARS;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** Messages one person may post per minute: enough to work, too few to flood the room or the fleet. */
    static final int PER_MINUTE = 30;
    private static final String FRONT = "web";
    static final String BOT = "chatops";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, author_kind, author_name, user_id, text, buttons, reply_to, job_id, approval_id, created_at,"
            + " updated_at";

    private final Jdbi jdbi;
    private final ChatEngine engine;
    private final LivePublisher live;
    private final Clock clock;
    /** Answers are made off the request thread: a Docker action or an approval may take seconds. */
    private final ExecutorService answering = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong lastCreated = new AtomicLong();
    private final PerMinute posts;
    /** Alerts whose firing the room was told, so that a repeat is not told again. */
    private final java.util.Set<String> announcedFiring = ConcurrentHashMap.newKeySet();
    /** Newer versions of answers not stored yet (guarded by this room). */
    private final Map<String, Reply> earlyRewrites = new java.util.HashMap<>();

    public ChatRoom(Jdbi jdbi, ChatEngine engine, LivePublisher live, AlertService alerts, Clock clock) {
        this.jdbi = jdbi;
        this.engine = engine;
        this.live = live;
        this.clock = clock;
        this.posts = new PerMinute("post", PER_MINUTE, jdbi, clock);
        alerts.whenChanged(alert -> answering.execute(() -> announce(alert)));
        // A job's answer is a message in the database: any instance rewrites it.
        engine.resumeAnswersWith(FRONT, address -> reply -> rewrite(address.path("message").asText(), reply));
    }

    /**
     * An alert that fires, or that fired and resolved, is told in the room, with buttons to
     * acknowledge it, silence its server for an hour, and restart its container (for container
     * rules); each runs as whoever presses it.
     */
    private void announce(Map<String, Object> alert) {
        String state = (String) alert.get("state");
        String id = (String) alert.get("id");
        boolean firing = "firing".equals(state);
        if (!(firing ? announcedFiring.add(id) : "resolved".equals(state) && alert.get("firing_at") != null)) {
            return; // pending, a repeat, or already told
        }
        if (announcedFiring.size() > KEPT) {
            announcedFiring.clear();
        }
        String text = (firing ? "▲ Firing (" + alert.get("severity") + "): " : "✓ Resolved: ") + alert.get("summary")
                + (firing ? "" : " (it fired at " + alert.get("firing_at") + ")");
        insert(newId(), "bot", BOT, null, text, new Reply(text, AlertButtons.of(alert), null, null), null);
    }

    /** Up to {@code limit} messages before the message {@code before} (or the newest), oldest first. */
    public List<Map<String, Object>> messages(Actor actor, String before, int limit) {
        actor.require(Role.VIEWER);
        int count = Math.max(1, Math.min(limit, MAX_LIMIT));
        long until = before == null ? Long.MAX_VALUE : jdbi.withHandle(h -> h.createQuery("SELECT created_at FROM chat_messages WHERE id = ?")
                .bind(0, before).mapTo(Long.class).findOne()).orElseThrow(() -> ApiError.badRequest("before names no message: " + before));
        List<Map<String, Object>> newestFirst = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM chat_messages WHERE created_at < ? ORDER BY created_at DESC LIMIT " + count).bind(0, until)
                .map((rs, ctx) -> message(rs)).list());
        return newestFirst.reversed();
    }

    /** Posts the actor's message; the bot's answer follows as another message on the live topic. */
    public Map<String, Object> post(Actor asPoster, String text) {
        asPoster.require(Role.VIEWER);
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw ApiError.badRequest("text must be 1 to " + MAX_TEXT + " characters");
        }
        throttle(asPoster);
        Actor actor = new Actor(asPoster.userId(), asPoster.username(), asPoster.role(), Actor.Source.WEB_CHAT, asPoster.address());
        Map<String, Object> posted = insert("user", actor.username(), actor.userId(), text.strip(), null, null);
        answering.execute(() -> {
            String answerId = newId();
            Reply first = engine.handle(actor, ChatEngine.Origin.WEB, text, later -> rewrite(answerId, later),
                    JSON.createObjectNode().put("front", FRONT).put("message", answerId));
            insertAs(answerId, first, (String) posted.get("id"));
        });
        return posted;
    }

    private void throttle(Actor actor) {
        if (!posts.allow(actor.userId())) {
            throw new ApiError(429, "too_many_messages", "at most " + PER_MINUTE + " messages a minute; wait a little");
        }
    }

    private Map<String, Object> insert(String kind, String author, String userId, String text, Reply reply, String replyTo) {
        String id = newId();
        return insert(id, kind, author, userId, text, reply, replyTo);
    }

    /** Stores the first answer, or the newer version of it that a fast job already produced. */
    private void insertAs(String id, Reply reply, String replyTo) {
        synchronized (this) {
            Reply newest = earlyRewrites.remove(id);
            Reply shown = newest != null ? newest : reply;
            insert(id, "bot", BOT, null, shown.text(), shown, replyTo);
        }
    }

    private Map<String, Object> insert(String id, String kind, String author, String userId, String text, Reply reply, String replyTo) {
        long created = lastCreated.updateAndGet(last -> Math.max(last + 1, clock.instant().toEpochMilli()));
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO chat_messages (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)").bind(0, id).bind(1, kind)
                    .bind(2, author).bind(3, userId).bind(4, text).bind(5, buttons(reply)).bind(6, replyTo)
                    .bind(7, reply == null ? null : reply.jobId()).bind(8, reply == null ? null : reply.approvalId()).bind(9, created).execute();
            if (created % 100 == 0) {
                h.createUpdate("DELETE FROM chat_messages WHERE created_at < (SELECT MIN(created_at) FROM (SELECT created_at FROM chat_messages"
                        + " ORDER BY created_at DESC LIMIT " + KEPT + ") newest)").execute();
            }
        });
        Map<String, Object> message = find(id);
        live.chatMessage(message);
        return message;
    }

    /** A later version of an answer (a job's rows): the message is rewritten and shown again. */
    private void rewrite(String id, Reply reply) {
        synchronized (this) {
            int updated = jdbi.withHandle(h -> h.createUpdate("UPDATE chat_messages SET text = ?, buttons = ?, updated_at = ? WHERE id = ?")
                    .bind(0, reply.text()).bind(1, buttons(reply)).bind(2, clock.instant().toEpochMilli()).bind(3, id).execute());
            if (updated == 0) {
                earlyRewrites.put(id, reply); // before the first answer was stored: it is stored in this version
                return;
            }
        }
        live.chatMessage(find(id));
    }

    private Map<String, Object> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM chat_messages WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> message(rs)).one());
    }

    private static Map<String, Object> message(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", rs.getString(1));
        message.put("author", Map.of("kind", rs.getString(2), "name", rs.getString(3)));
        message.put("text", rs.getString(5));
        try {
            message.put("buttons", rs.getString(6) == null ? List.of() : JSON.readValue(rs.getString(6), new TypeReference<List<Map<String, Object>>>() { }));
        } catch (Exception e) {
            throw new IllegalStateException("the stored buttons of chat message " + rs.getString(1) + " are damaged", e);
        }
        message.put("reply_to", rs.getString(7));
        message.put("job_id", rs.getString(8));
        message.put("approval_id", rs.getString(9));
        message.put("created_at", Rows.time(rs, 10));
        message.put("updated_at", Rows.time(rs, 11));
        return message;
    }

    private static String buttons(Reply reply) {
        if (reply == null || reply.buttons().isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(reply.buttons().stream().map(b -> Map.of("label", b.label(), "command", b.command(), "danger", b.danger()))
                    .toList());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId() {
        return "m-" + UUID.randomUUID();
    }

    @Override
    public void close() {
        answering.shutdownNow();
    }
}
