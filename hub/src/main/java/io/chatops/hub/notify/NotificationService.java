package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.http.ApiError;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Notification channels and the delivery of notifications (ALERTS.md) for an {@link Actor}:
 * viewers read, operators change channels and send tests; every change is audited. Other features
 * hand notices over with {@link #enqueue} inside their own transaction, so that a notification
 * exists exactly when the change that caused it does.
 */
public final class NotificationService implements AutoCloseable {
    static final int MAX_CHANNELS = 100;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    private final ChannelStore channels;
    private final Outbox outbox;
    private final Sender sender;
    private final DeliveryWorker worker;
    private final AuditLog audit;
    private final Clock clock;

    /** {@code buttons}: what alert messages to Slack and Mattermost carry besides their text. */
    public NotificationService(Jdbi jdbi, AuditLog audit, NoticeButtons buttons, Clock clock, Peers peers) {
        this.channels = new ChannelStore(jdbi);
        this.outbox = new Outbox(jdbi, buttons);
        this.sender = new Sender(clock);
        this.worker = new DeliveryWorker(outbox, channels::find, sender, clock, peers);
        this.audit = audit;
        this.clock = clock;
    }

    public List<Map<String, Object>> channels(Actor actor) {
        actor.require(Role.VIEWER);
        return channels.all().stream().map(Channel::json).toList();
    }

    public Map<String, Object> channel(Actor actor, String id) {
        actor.require(Role.VIEWER);
        return existing(id).json();
    }

    /** Creates a channel; the answer is the only one that shows its secret (a webhook's signing secret, a hook URL). */
    public Map<String, Object> create(Actor actor, JsonNode body) {
        actor.require(Role.OPERATOR);
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        if (channels.all().size() >= MAX_CHANNELS) {
            throw ApiError.conflict("at most " + MAX_CHANNELS + " notification channels; delete one first");
        }
        Channel channel = ChannelParser.create(body, UUID.randomUUID().toString(), clock.instant());
        channels.insert(channel);
        audit.record(new AuditEvent(actor, "channel_create", "channel:" + channel.id(), "ok", channel.name()));
        Map<String, Object> json = channel.json();
        json.put("config", channel.config()); // shown once
        return json;
    }

    public Map<String, Object> update(Actor actor, String id, JsonNode body) {
        actor.require(Role.OPERATOR);
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        Channel channel = ChannelParser.patch(existing(id), body);
        channels.update(channel);
        audit.record(new AuditEvent(actor, "channel_update", "channel:" + id, "ok", channel.name()));
        return channel.json();
    }

    public void delete(Actor actor, String id) {
        actor.require(Role.OPERATOR);
        Channel channel = existing(id);
        channels.delete(id);
        audit.record(new AuditEvent(actor, "channel_delete", "channel:" + id, "ok", channel.name()));
    }

    /** Sends a test notice at once, outside the outbox; a refusal is a 502 with the receiver's answer. */
    public Map<String, Object> test(Actor actor, String id) {
        actor.require(Role.OPERATOR);
        Channel channel = existing(id);
        Notice notice = new Notice("test", null, "a test notification for channel " + channel.name(), "info", null,
                Map.of("version", "1", "event", "test", "channel", Map.of("id", channel.id(), "name", channel.name())));
        Sender.Result result = sender.send(channel, "msg_" + UUID.randomUUID().toString().replace("-", ""),
                Formats.body(channel.type(), notice, clock.instant(), NoticeButtons.NONE));
        audit.record(new AuditEvent(actor, "channel_test", "channel:" + id, result.delivered() ? "ok" : "failed", result.error()));
        if (!result.delivered()) {
            throw new ApiError(502, "delivery_failed", "the receiver did not take it: " + result.error());
        }
        return Map.of("delivered", true);
    }

    /** Deliveries, newest first: {@code state} pending, sent or failed (null for all). */
    public List<Map<String, Object>> deliveries(Actor actor, String channelId, String state, int limit) {
        actor.require(Role.VIEWER);
        Outbox.State wanted = null;
        if (state != null) {
            try {
                wanted = Outbox.State.valueOf(state.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("query parameter 'state' must be pending, sent or failed");
            }
        }
        return outbox.list(channelId, wanted, Math.max(1, Math.min(limit, MAX_LIMIT)));
    }

    /** The ids of every channel, for rules that name them. */
    public Set<String> channelIds() {
        return channels.all().stream().map(Channel::id).collect(Collectors.toSet());
    }

    /**
     * Writes {@code notice} for each enabled channel of {@code channelIds} in the caller's
     * transaction; call {@link #wake} once it committed.
     */
    public void enqueue(Handle transaction, List<String> channelIds, Notice notice) {
        if (channelIds.isEmpty()) {
            return;
        }
        List<Channel> targets = channels.all(transaction).stream().filter(c -> c.enabled() && channelIds.contains(c.id())).toList();
        outbox.enqueue(transaction, targets, notice, clock.instant());
    }

    /**
     * Tells the channels among {@code channelIds} that forget an alert unless told again
     * (Alertmanager) that it still fires; the caller does so about every minute while it fires.
     */
    public void keepAlive(List<String> channelIds, Notice notice) {
        List<Channel> targets = channels.all().stream()
                .filter(c -> c.enabled() && c.type() == Channel.Type.ALERTMANAGER && channelIds.contains(c.id())).toList();
        if (!targets.isEmpty() && outbox.writeAgain(targets, notice, clock.instant()) > 0) {
            worker.wake();
        }
    }

    /** Notifications were written: send them now rather than within a second. */
    public void wake() {
        worker.wake();
    }

    /** Notifications given up on, and sent, since the hub started: for {@code /metrics}. */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("failed", worker.failedTotal());
        counters.put("sent", worker.sentTotal());
        return counters;
    }

    /** Notifications claimed by hub instances that are gone (this one before a crash, or others) are due now: once at start. */
    public void releaseClaimsOfStoppedInstances() {
        worker.releaseClaimsOfTheGone();
    }

    @Override
    public void close() {
        worker.close();
    }

    private Channel existing(String id) {
        return channels.find(id).orElseThrow(() -> ApiError.notFound("notification channel " + id + " does not exist"));
    }
}
