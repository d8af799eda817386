package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.text.Hmac;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mattermost as a chat front end (CHATOPS.md, INTEGRATIONS.md §2): the slash command is checked
 * with its token in constant time and acknowledged at once; the answer goes to its
 * {@code response_url} on the Mattermost server the admin named (five posts at most, as on Slack).
 * Buttons post back a {@code context} the hub signed (HMAC-SHA256 with a key only the hub knows,
 * valid for a day), because Mattermost signs nothing; a button's command runs as the linked
 * Mattermost user who pressed it, and its answer replaces the message that offered it.
 */
public final class MattermostFront implements AutoCloseable {
    static final int RESPONSE_URL_POSTS = 5;
    private static final String FRONT = "mattermost";
    static final Duration BUTTONS_LAST = Duration.ofDays(1);
    /** How long a button's answer is waited for before Mattermost's own 3 s limit. */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(2_500);
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MattermostFront.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatEngine engine;
    private final ChatIdentities identities;
    private final PerMinute commands;
    private final ChatIntegrations integrations;
    private final AuditLog audit;
    private final String actionsUrl;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService answering = Executors.newVirtualThreadPerTaskExecutor();

    MattermostFront(ChatEngine engine, ChatIdentities identities, PerMinute commands, ChatIntegrations integrations, AuditLog audit,
            URI hubUrl, Clock clock) {
        this.engine = engine;
        this.identities = identities;
        this.commands = commands;
        this.integrations = integrations;
        this.audit = audit;
        this.actionsUrl = actionsUrl(hubUrl);
        this.clock = clock;
        engine.resumeAnswersWith(FRONT, this::resume);
    }

    /** Where the final answer of a job goes when the instance that started it stopped: its response URL, checked again. */
    private Consumer<Reply> resume(JsonNode address) {
        ChatIntegrations.Mattermost mattermost = configured();
        Answers answers = new Answers(responseUrl(mattermost, address.path("response_url").asText()), mattermost);
        answers.firstSent = true;
        return answers::later;
    }

    public Map<String, Object> settings(Actor actor) {
        actor.require(Role.ADMIN);
        return integrations.mattermost().map(ChatIntegrations.Mattermost::masked)
                .orElseGet(() -> new ChatIntegrations.Mattermost(null, null, null).masked());
    }

    public Map<String, Object> updateSettings(Actor actor, JsonNode body) {
        actor.require(Role.ADMIN);
        Map<String, Object> masked = integrations.writeMattermost(body).masked();
        audit.record(new AuditEvent(actor, "chat_integration_update", "integration:mattermost", "ok", null));
        return masked;
    }

    /** The slash command: a private "working on it" now, the answer through {@code response_url}. */
    Map<String, Object> command(byte[] body, String authorization) {
        ChatIntegrations.Mattermost mattermost = configured();
        if (body.length > MAX_BODY_BYTES) {
            throw ApiError.badRequest("the request is larger than " + MAX_BODY_BYTES + " bytes");
        }
        Map<String, String> form = Forms.parse(body);
        String token = authorization != null && authorization.startsWith("Token ") ? authorization.substring(6).strip() : form.get("token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                mattermost.commandToken().getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("the slash command's token does not match the one set in the hub");
        }
        ChatIdentities.ChatUser who = new ChatIdentities.ChatUser("mattermost", Forms.required(form, "team_id"),
                Forms.required(form, "user_id"));
        URI responseUrl = responseUrl(mattermost, Forms.required(form, "response_url"));
        String text = form.getOrDefault("text", "");
        if (!commands.allow(who.describe())) {
            return Map.of("response_type", "ephemeral", "text", "At most " + commands.limit() + " commands a minute; wait a little.");
        }
        answering.execute(() -> answer(who, text, responseUrl));
        return Map.of("response_type", "ephemeral", "text", "Working on `" + FanOutJob.oneLine(text.isBlank() ? "help" : text) + "`…");
    }

    /** A button: its signed context names the command; the answer replaces the message. */
    Map<String, Object> action(byte[] body) {
        ChatIntegrations.Mattermost mattermost = configured();
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("the body is not JSON");
        }
        JsonNode context = request.path("context");
        String command = context.path("command").asText("");
        long issued = context.path("issued").asLong(0);
        String expected = sign(mattermost.actionKey(), command, issued);
        if (command.isEmpty() || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                context.path("sig").asText("").getBytes(StandardCharsets.US_ASCII))) {
            throw ApiError.forbidden("the button's context was not signed by this hub");
        }
        if (clock.instant().isAfter(Instant.ofEpochSecond(issued).plus(BUTTONS_LAST))) {
            return Map.of("ephemeral_text", "this button is older than a day; type the command instead: " + command);
        }
        ChatIdentities.ChatUser who = new ChatIdentities.ChatUser("mattermost", request.path("team_id").asText(""),
                request.path("user_id").asText(""));
        if (who.teamId().isEmpty() || who.userId().isEmpty()) {
            throw ApiError.badRequest("the request names no team_id or user_id");
        }
        CompletableFuture<Reply> latest = new CompletableFuture<>();
        Reply first = engine.handle(identities.actor(who, Actor.Source.MATTERMOST), who.origin(), command, later -> {
            if (!later.partial()) {
                latest.complete(later);
            }
        });
        Reply shown = first;
        if (first.partial()) {
            try {
                shown = latest.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                shown = first; // still running: `jobs <id>` shows its rows
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Object> message = message(shown, mattermost, "in_channel");
        return Map.of("update", Map.of("message", message.get("text"), "props", Map.of("attachments", message.get("attachments"))));
    }

    private void answer(ChatIdentities.ChatUser who, String text, URI responseUrl) {
        try {
            Answers answers = new Answers(responseUrl, configured());
            answers.first(engine.handle(identities.actor(who, Actor.Source.MATTERMOST), who.origin(), text, answers::later,
                    JSON.createObjectNode().put("front", FRONT).put("response_url", responseUrl.toString())));
        } catch (RuntimeException e) {
            LOG.error("answering a Mattermost command failed", e);
        }
    }

    /** One command's answers through its response URL: the first, then a job's end (progress is left out: five posts at most). */
    private final class Answers {
        private final URI responseUrl;
        private final ChatIntegrations.Mattermost mattermost;
        private int posts;
        private boolean firstSent;
        private Reply waiting;

        Answers(URI responseUrl, ChatIntegrations.Mattermost mattermost) {
            this.responseUrl = responseUrl;
            this.mattermost = mattermost;
        }

        synchronized void first(Reply reply) {
            Reply shown = waiting != null ? waiting : reply; // a fast job may have finished already
            firstSent = true;
            send(shown, shown.privately() ? "ephemeral" : "in_channel");
        }

        synchronized void later(Reply reply) {
            if (!firstSent) {
                waiting = reply;
            } else if (!reply.partial()) {
                send(reply, "in_channel");
            }
        }

        private void send(Reply reply, String responseType) {
            if (posts < RESPONSE_URL_POSTS) {
                posts++;
                post(responseUrl, message(reply, mattermost, responseType));
            }
        }
    }

    /** A reply as Mattermost takes it: Markdown text, and buttons as an attachment's actions with a signed context. */
    private Map<String, Object> message(Reply reply, ChatIntegrations.Mattermost mattermost, String responseType) {
        List<Map<String, Object>> actions = actions(reply.buttons(), actionsUrl, mattermost.actionKey(), clock.instant());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("response_type", responseType);
        message.put("text", reply.text().length() > 16_000 ? reply.text().substring(0, 16_000) + "…" : reply.text());
        message.put("attachments", actions.isEmpty() ? List.of() : List.of(Map.of("actions", actions)));
        return message;
    }

    /** Where Mattermost posts a button's click. */
    static String actionsUrl(URI hubUrl) {
        return hubUrl + "/api/v1/integrations/mattermost/actions";
    }

    /** Buttons as attachment actions, each with a context the hub signed at {@code issued}. */
    static List<Map<String, Object>> actions(List<Reply.Button> buttons, String actionsUrl, String key, Instant issuedAt) {
        List<Map<String, Object>> actions = new ArrayList<>();
        long issued = issuedAt.getEpochSecond();
        for (int i = 0; i < buttons.size(); i++) {
            Reply.Button button = buttons.get(i);
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("command", button.command());
            context.put("issued", issued);
            context.put("sig", sign(key, button.command(), issued));
            actions.add(Map.of("id", "chatops" + i, "name", button.label(), "style", button.danger() ? "danger" : "primary",
                    "integration", Map.of("url", actionsUrl, "context", context)));
        }
        return actions;
    }

    private void post(URI responseUrl, Map<String, Object> message) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(responseUrl).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 300) {
                LOG.warn("Mattermost refused an answer: HTTP {} {}", answer.statusCode(), FanOutJob.oneLine(answer.body()));
            }
        } catch (java.io.IOException e) {
            LOG.warn("cannot post an answer to Mattermost: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ChatIntegrations.Mattermost configured() {
        return integrations.mattermost().orElseThrow(() -> ApiError.notFound("the Mattermost integration is not set up on this hub"));
    }

    /** Answers go only to the Mattermost server the admin named: a forged request cannot make the hub post elsewhere. */
    private static URI responseUrl(ChatIntegrations.Mattermost mattermost, String text) {
        if (mattermost.url() == null) {
            throw ApiError.badRequest("set the Mattermost server's url in the hub first: answers go only there");
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("response_url is not a URL");
        }
        URI server = mattermost.url();
        if (!server.getScheme().equals(uri.getScheme()) || uri.getHost() == null || !uri.getHost().equals(server.getHost())
                || uri.getPort() != server.getPort()) {
            throw ApiError.badRequest("response_url is not on the Mattermost server set in the hub");
        }
        return uri;
    }

    static String sign(String key, String command, long issued) {
        return HexFormat.of().formatHex(Hmac.sha256(key.getBytes(StandardCharsets.UTF_8),
                (issued + "|" + command).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        answering.shutdownNow();
    }
}
