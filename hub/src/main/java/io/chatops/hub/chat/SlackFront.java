package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.http.ApiError;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack as a chat front end over HTTPS (CHATOPS.md): slash commands and button clicks, each checked
 * with the signing secret, acknowledged at once, answered by the engine as the linked hub user,
 * and the answer posted to the request's {@code response_url} (at most five posts in 30 minutes;
 * a job shows at most two progress updates, then its end; beyond, the bot token's
 * {@code chat.postMessage}). Someone not linked yet may use {@code help}, {@code whoami} and {@code link}.
 */
public final class SlackFront implements AutoCloseable {
    static final int RESPONSE_URL_POSTS = 5;
    private static final String FRONT = "slack";
    static final Duration RESPONSE_URL_LASTS = Duration.ofMinutes(30);
    static final int PROGRESS_POSTS = 2;
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    static final int MAX_FORM_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SlackFront.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatEngine engine;
    private final ChatIdentities identities;
    private final PerMinute commands;
    private final ChatIntegrations integrations;
    private final AuditLog audit;
    private final SlackSignature signature;
    private final URI api;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService answering = Executors.newVirtualThreadPerTaskExecutor();
    private final SlackSocket socket;

    SlackFront(ChatEngine engine, ChatIdentities identities, PerMinute commands, ChatIntegrations integrations, AuditLog audit, URI api,
            Clock clock) {
        this.audit = audit;
        this.engine = engine;
        this.identities = identities;
        this.commands = commands;
        this.integrations = integrations;
        this.signature = new SlackSignature(clock);
        this.api = api;
        this.clock = clock;
        this.socket = socketMode(SlackSocket.PING_EVERY, SlackSocket.SILENCE_LIMIT);
        engine.resumeAnswersWith(FRONT, this::resume);
    }

    /** Where the final answer of a job goes when the instance that started it stopped: as its own replies would have sent it. */
    private Consumer<Reply> resume(JsonNode address) {
        Replies replies = new Replies(responseUrl(address.path("response_url").asText()), address.path("channel").asText(null),
                integrations.slack().map(ChatIntegrations.Slack::botToken).orElse(null),
                Instant.ofEpochMilli(address.path("started_at").asLong()));
        replies.firstSent = true;
        return replies::later;
    }

    /** Socket Mode's connection, pinging every {@code pingEvery} and given up after {@code silenceLimit} without a word. */
    SlackSocket socketMode(Duration pingEvery, Duration silenceLimit) {
        return new SlackSocket(this, integrations, api, http, answering, clock, pingEvery, silenceLimit);
    }

    /** Opens Socket Mode's connection when an app-level token is set (and from then on follows the settings). */
    public void start() {
        socket.reconfigure();
    }

    /** The integration's settings, secrets masked (admin). */
    public Map<String, Object> settings(Actor actor) {
        actor.require(Role.ADMIN);
        Map<String, Object> settings = new java.util.LinkedHashMap<>(integrations.slack().map(ChatIntegrations.Slack::masked)
                .orElseGet(() -> new ChatIntegrations.Slack(null, null, null).masked()));
        settings.put("socket_mode", socket.status().json());
        return settings;
    }

    /** Sets the signing secret and tokens (admin, audited; the secrets never appear in the audit log). */
    public Map<String, Object> updateSettings(Actor actor, JsonNode body) {
        actor.require(Role.ADMIN);
        integrations.writeSlack(body);
        audit.record(new AuditEvent(actor, "chat_integration_update", "integration:slack", "ok", null));
        socket.reconfigure();
        return settings(actor);
    }

    /** A slash command over HTTPS: the answer to Slack's request is a private "working on it"; the result follows. */
    Map<String, Object> command(byte[] body, String timestamp, String signed) {
        return command(Forms.parse(body), checked(body, timestamp, signed));
    }

    /** A slash command's fields, however they came (a signed request, or Socket Mode's envelope). */
    Map<String, Object> command(Map<String, String> form, ChatIntegrations.Slack slack) {
        ChatIdentities.ChatUser who = new ChatIdentities.ChatUser("slack", Forms.required(form, "team_id"), Forms.required(form, "user_id"));
        Replies replies = new Replies(responseUrl(Forms.required(form, "response_url")), form.get("channel_id"), slack.botToken(),
                clock.instant());
        String text = SlackMessages.unescape(form.getOrDefault("text", ""));
        if (!commands.allow(who.describe())) {
            return Map.of("response_type", "ephemeral", "text", "At most " + commands.limit() + " commands a minute; wait a little.");
        }
        answering.execute(() -> answer(who, text, replies, false));
        return Map.of("response_type", "ephemeral", "text", "Working on `" + FanOutJob.oneLine(text.isBlank() ? "help" : text) + "`…");
    }

    /** A button over HTTPS. */
    void interaction(byte[] body, String timestamp, String signed) {
        ChatIntegrations.Slack slack = checked(body, timestamp, signed);
        JsonNode payload;
        try {
            payload = JSON.readTree(Forms.required(Forms.parse(body), "payload"));
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("payload is not JSON");
        }
        interaction(payload, slack);
    }

    /** A button: run its command as whoever pressed it; an Approve or Deny replaces the message that offered it. */
    void interaction(JsonNode payload, ChatIntegrations.Slack slack) {
        JsonNode action = payload.path("actions").path(0);
        if (!payload.path("type").asText().equals("block_actions") || !action.path("value").isTextual()) {
            return; // nothing of ours: acknowledged and ignored
        }
        ChatIdentities.ChatUser who = new ChatIdentities.ChatUser("slack", payload.path("team").path("id").asText(),
                payload.path("user").path("id").asText());
        if (who.teamId().isEmpty() || who.userId().isEmpty()) {
            throw ApiError.badRequest("payload names no team or user");
        }
        String command = action.path("value").textValue();
        Replies replies = new Replies(responseUrl(payload.path("response_url").asText()), payload.path("channel").path("id").asText(null),
                slack.botToken(), clock.instant());
        boolean decides = command.startsWith("approve ") || command.startsWith("deny ");
        answering.execute(() -> answer(who, command, replies, decides));
    }

    private void answer(ChatIdentities.ChatUser who, String text, Replies replies, boolean replaceOriginal) {
        try {
            Actor actor = identities.actor(who, Actor.Source.SLACK);
            Reply first = engine.handle(actor, who.origin(), text, replies::later, replies.address());
            replies.first(first, replaceOriginal);
        } catch (RuntimeException e) {
            LOG.error("answering a Slack command failed", e);
        }
    }

    private ChatIntegrations.Slack checked(byte[] body, String timestamp, String signed) {
        ChatIntegrations.Slack slack = integrations.slack()
                .orElseThrow(() -> ApiError.notFound("the Slack integration is not set up on this hub"));
        if (body.length > MAX_FORM_BYTES) {
            throw ApiError.badRequest("the request is larger than " + MAX_FORM_BYTES + " bytes");
        }
        signature.verify(slack.signingSecret(), timestamp, signed, body);
        return slack;
    }

    /** Only Slack's own hosts (or the API base this hub was told to use) get answers: a forged URL gets nothing. */
    private URI responseUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("response_url is not a URL");
        }
        boolean slackHost = "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getHost().endsWith(".slack.com");
        boolean configured = uri.getScheme() != null && uri.getScheme().equals(api.getScheme()) && uri.getHost() != null
                && uri.getHost().equals(api.getHost()) && uri.getPort() == api.getPort();
        if (!slackHost && !configured) {
            throw ApiError.badRequest("response_url must be one of Slack's");
        }
        return uri;
    }

    /** Where one command's answers go, within Slack's limits. */
    private final class Replies {
        private final URI responseUrl;
        private final String channel;
        private final String botToken;
        private final Instant startedAt;
        private int posts;
        private int progress;
        private Instant lastPost = Instant.MIN;
        private boolean firstSent;
        private Reply waiting;

        Replies(URI responseUrl, String channel, String botToken, Instant startedAt) {
            this.responseUrl = responseUrl;
            this.channel = channel;
            this.botToken = botToken;
            this.startedAt = startedAt;
        }

        /** For another hub instance: the response URL, the channel and how long the URL lasts; never the token. */
        ObjectNode address() {
            ObjectNode address = JSON.createObjectNode().put("front", FRONT).put("response_url", responseUrl.toString())
                    .put("started_at", startedAt.toEpochMilli());
            return channel == null ? address : address.put("channel", channel);
        }

        synchronized void first(Reply reply, boolean replaceOriginal) {
            Reply shown = waiting != null ? waiting : reply; // a fast job may have finished already
            firstSent = true;
            post(SlackMessages.of(shown, shown.privately() ? "ephemeral" : "in_channel", replaceOriginal));
        }

        /** A later version of the answer: the end is always posted; progress at most twice, five seconds apart. */
        synchronized void later(Reply reply) {
            if (!firstSent) {
                waiting = reply;
                return;
            }
            Instant now = clock.instant();
            if (reply.partial() && (progress >= PROGRESS_POSTS || now.isBefore(lastPost.plus(PROGRESS_EVERY)))) {
                return;
            }
            if (reply.partial()) {
                progress++;
            }
            post(SlackMessages.of(reply, "in_channel", true));
        }

        private void post(Map<String, Object> message) {
            Instant now = clock.instant();
            boolean viaUrl = posts < RESPONSE_URL_POSTS && now.isBefore(startedAt.plus(RESPONSE_URL_LASTS));
            try {
                HttpRequest.Builder request;
                if (viaUrl) {
                    request = HttpRequest.newBuilder(responseUrl);
                    posts++;
                } else if (botToken != null && channel != null) {
                    Map<String, Object> fresh = new HashMap<>(message);
                    fresh.remove("replace_original");
                    fresh.remove("response_type");
                    fresh.put("channel", channel);
                    message = fresh;
                    request = HttpRequest.newBuilder(api.resolve(api.getPath() + "/chat.postMessage"))
                            .header("Authorization", "Bearer " + botToken);
                } else {
                    LOG.warn("a Slack answer was dropped: the response URL is used up and no bot token is set");
                    return;
                }
                lastPost = now;
                HttpResponse<String> answer = http.send(request.timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message))).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() >= 300) {
                    LOG.warn("Slack refused an answer: HTTP {} {}", answer.statusCode(), FanOutJob.oneLine(answer.body()));
                }
            } catch (java.io.IOException e) {
                LOG.warn("cannot post an answer to Slack: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        answering.shutdownNow();
    }
}
