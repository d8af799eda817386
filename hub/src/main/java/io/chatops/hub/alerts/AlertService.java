package io.chatops.hub.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.agents.ContainerReports;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.docker.OperatorStops;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.live.LivePublisher;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.notify.NotificationService;
import io.chatops.hub.processes.ProcessService;
import io.chatops.hub.servers.AgentLinks;
import io.chatops.hub.servers.ServerStore;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Alert rules and alerts for an {@link Actor} (ALERTS.md): viewers read, operators change rules and
 * acknowledge; every change is audited. Owns the {@link AlertEvaluator}, which it feeds with every
 * stored sample and container report and tells of every rule change; notifications of firing,
 * resolved and repeated alerts go to the rule's channels through the {@link NotificationService}.
 */
public final class AlertService implements AutoCloseable {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    static final int MAX_COMMENT = 1_000;
    /** Rules are judged on every sample of every server they cover: enough for any team, few enough to stay cheap. */
    static final int MAX_RULES = 500;

    private static final String RULES_CHANGED = "alerts.rules";
    private static final String SILENCES_CHANGED = "alerts.silences";

    private final Peers peers;
    private final AlertStore store;
    private final ServerStore servers;
    private final AuditLog audit;
    private final Clock clock;
    private final AlertEvaluator evaluator;
    private final SilenceStore silences;
    private final NotificationService notifications;
    private final RulePreview preview;
    private final List<java.util.function.Consumer<Map<String, Object>>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The parts of the hub that alerts read from and report to. */
    public record Sources(MetricsStore metrics, AgentLinks links, ContainerReports containers, OperatorStops operatorStops,
            ProcessService processes) {
    }

    public AlertService(org.jdbi.v3.core.Jdbi jdbi, ServerStore servers, Sources sources, NotificationService notifications,
            AuditLog audit, LivePublisher live, URI hubUrl, Clock clock, Peers peers) {
        this.peers = peers;
        this.store = new AlertStore(jdbi, notifications);
        this.silences = new SilenceStore(jdbi);
        this.notifications = notifications;
        this.preview = new RulePreview(servers, sources);
        this.servers = servers;
        this.audit = audit;
        this.clock = clock;
        this.evaluator = new AlertEvaluator(store, silences, servers, sources.links(), clock, alert -> {
            live.alert(alert);
            changeListeners.forEach(listener -> listener.accept(alert));
        },
                sources.operatorStops()::stoppedOnPurpose, new Notices(hubUrl), new BusiestProcesses(sources.processes(), clock), peers);
        sources.links().whenConnected(evaluator::serverArrived);
        peers.on(RULES_CHANGED, (from, body) -> evaluator.rulesChanged());
        peers.on(SILENCES_CHANGED, (from, body) -> evaluator.silencesChanged());
        sources.metrics().whenStored(evaluator::sampleStored);
        sources.containers().whenReported(evaluator::containersReported);
    }

    public List<Map<String, Object>> rules(Actor actor) {
        actor.require(Role.VIEWER);
        return store.rules().stream().map(AlertRule::json).toList();
    }

    public Map<String, Object> rule(Actor actor, String id) {
        actor.require(Role.VIEWER);
        return existing(id).json();
    }

    public Map<String, Object> createRule(Actor actor, JsonNode body) {
        actor.require(Role.OPERATOR);
        if (store.rules().size() >= MAX_RULES) {
            throw ApiError.conflict("at most " + MAX_RULES + " alert rules; delete one first");
        }
        AlertRule rule = RuleParser.create(body, UUID.randomUUID().toString(), clock.instant(), actor.username(), channels());
        store.insertRule(rule);
        rulesChanged();
        audit.record(new AuditEvent(actor, "alert_rule_create", "alert_rule:" + rule.id(), "ok", rule.name()));
        return rule.json();
    }

    /** What the rule in {@code body} would cover right now (nothing is stored): for the rule editor. */
    public Map<String, Object> preview(Actor actor, JsonNode body) {
        actor.require(Role.VIEWER);
        com.fasterxml.jackson.databind.node.ObjectNode named = body.deepCopy();
        if (!named.hasNonNull("name")) {
            named.put("name", "preview"); // the editor may ask before the rule has a name
        }
        return preview.of(RuleParser.create(named, "preview", clock.instant(), actor.username(), channels()));
    }

    public Map<String, Object> updateRule(Actor actor, String id, JsonNode body) {
        actor.require(Role.OPERATOR);
        AlertRule rule = RuleParser.patch(existing(id), body, channels());
        store.updateRule(rule);
        rulesChanged();
        audit.record(new AuditEvent(actor, "alert_rule_update", "alert_rule:" + id, "ok", rule.name()));
        return rule.json();
    }

    public void deleteRule(Actor actor, String id) {
        actor.require(Role.OPERATOR);
        AlertRule rule = existing(id);
        store.deleteRule(id);
        rulesChanged();
        audit.record(new AuditEvent(actor, "alert_rule_delete", "alert_rule:" + id, "ok", rule.name()));
    }

    /** Newest first; {@code states} empty means firing and pending. */
    public List<Map<String, Object>> alerts(Actor actor, List<String> states, String serverId, String ruleId, int limit) {
        actor.require(Role.VIEWER);
        List<Alert.State> wanted = states(states);
        Map<String, AlertRule> rules = new HashMap<>();
        store.rules().forEach(rule -> rules.put(rule.id(), rule));
        Map<String, String> names = new HashMap<>();
        servers.all().forEach(row -> names.put(row.server().id(), row.server().name()));
        java.time.Instant now = clock.instant();
        List<Silence> active = silences.active(now);
        return store.alerts(wanted, serverId, ruleId, Math.max(1, Math.min(limit, MAX_LIMIT))).stream()
                .filter(alert -> rules.containsKey(alert.ruleId()))
                .map(alert -> alert.json(rules.get(alert.ruleId()), names.get(alert.serverId()), active.stream()
                        .filter(silence -> alert.open() && silence.silences(alert, now)).map(Silence::until)
                        .max(java.util.Comparator.naturalOrder()).orElse(null)))
                .toList();
    }

    /** Marks the alert acknowledged: it stops repeating; it still resolves. */
    public Map<String, Object> acknowledge(Actor actor, String id, String comment) {
        actor.require(Role.OPERATOR);
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw ApiError.badRequest("comment must be at most " + MAX_COMMENT + " characters");
        }
        java.time.Instant now = clock.instant();
        if (!store.acknowledge(id, actor.username(), now, comment)) {
            throw ApiError.notFound("alert " + id + " does not exist");
        }
        evaluator.acknowledged(id, actor.username(), now);
        audit.record(new AuditEvent(actor, "alert_ack", "alert:" + id, "ok", comment));
        Alert alert = store.alert(id).orElseThrow();
        return alert.json(existing(alert.ruleId()), servers.byId(alert.serverId()).map(ServerStore.Server::name).orElse(null));
    }

    /** Every instance judges with the same rules and silences: this one now, the others once they read the message. */
    private void rulesChanged() {
        evaluator.rulesChanged();
        peers.broadcast(RULES_CHANGED, "");
    }

    private void silencesChanged() {
        evaluator.silencesChanged();
        peers.broadcast(SILENCES_CHANGED, "");
    }

    /** Silences that have not ended, soonest end first. */
    public List<Map<String, Object>> silences(Actor actor) {
        actor.require(Role.VIEWER);
        return silences.active(clock.instant()).stream().map(Silence::json).toList();
    }

    /** Silences alerts matching the body's server, rule and subject (each optional) until its {@code until}. */
    public Map<String, Object> silence(Actor actor, JsonNode body) {
        actor.require(Role.OPERATOR);
        java.time.Instant now = clock.instant();
        Silence silence = SilenceParser.parse(body, UUID.randomUUID().toString(), actor.username(), now,
                id -> servers.byId(id).isPresent(), id -> store.rule(id).isPresent());
        silences.insert(silence);
        silencesChanged();
        audit.record(new AuditEvent(actor, "silence_create", "silence:" + silence.id(), "ok", silence.reason()));
        return silence.json();
    }

    public void deleteSilence(Actor actor, String id) {
        actor.require(Role.OPERATOR);
        if (!silences.delete(id)) {
            throw ApiError.notFound("silence " + id + " does not exist");
        }
        silencesChanged();
        audit.record(new AuditEvent(actor, "silence_delete", "silence:" + id, "ok", null));
    }

    /**
     * {@code listener} hears of every change of an alert (as the API shows it), on the evaluator's
     * thread: it must hand the work on, never block.
     */
    public void whenChanged(java.util.function.Consumer<Map<String, Object>> listener) {
        changeListeners.add(listener);
    }

    /** Judges offline rules by the hub's clock; the hub calls this every few seconds. */
    public void checkOffline() {
        evaluator.checkOffline();
    }

    /** Waits until every sample stored so far was judged: for tests. */
    public void settle() throws InterruptedException {
        evaluator.settle();
    }

    /** Alerts firing now by severity (info, warning, critical; each present, 0 when none), for {@code /metrics}. */
    public Map<String, Long> firingBySeverity() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (AlertRule.Severity severity : AlertRule.Severity.values()) {
            counts.put(AlertRule.wire(severity), 0L);
        }
        counts.putAll(store.firingBySeverity());
        return counts;
    }

    /** Samples left unjudged because evaluation fell behind, for {@code /metrics}. */
    public long unjudgedSamples() {
        return evaluator.unjudged();
    }

    @Override
    public void close() {
        evaluator.close();
    }

    private AlertRule existing(String id) {
        return store.rule(id).orElseThrow(() -> ApiError.notFound("alert rule " + id + " does not exist"));
    }

    /** The notification channels a rule may name. */
    private Set<String> channels() {
        return notifications.channelIds();
    }

    private static List<Alert.State> states(List<String> names) {
        if (names.isEmpty()) {
            return List.of(Alert.State.FIRING, Alert.State.PENDING);
        }
        if (names.contains("all")) {
            return List.of();
        }
        return names.stream().map(name -> {
            for (Alert.State state : Alert.State.values()) {
                if (state.wireName().equals(name)) {
                    return state;
                }
            }
            throw ApiError.badRequest("query parameter 'state' must be firing, pending, resolved or all");
        }).toList();
    }
}
