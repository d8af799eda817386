package io.chatops.hub.alerts;

import io.chatops.hub.cluster.Peers;
import io.chatops.hub.notify.Notice;
import io.chatops.hub.servers.AgentLinks;
import io.chatops.hub.servers.ServerStore;
import io.chatops.hub.text.Glob;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import io.chatops.hub.db.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges rules as samples are stored and containers reported, on one thread of its own so that
 * neither the agents' acks nor the metrics writer wait for it. Metric rules are judged by sample
 * timestamps (a backlog replayed after an outage is judged by when it happened), container rules by
 * the report's time, offline rules by the hub's clock. Each rule ×
 * server × subject has at most one open alert: pending when the condition first holds, firing once
 * it held for the rule's {@code for_seconds}, resolved once it no longer holds. Open alerts are read
 * back from the database at start, so an alert firing before a restart is the same alert after it.
 */
final class AlertEvaluator implements AutoCloseable {
    /** Samples waiting for judgement at most: ten seconds of 5 000 servers; beyond, samples go unjudged (counted). */
    static final int MAX_QUEUED = 10_000;
    /** Server names and tags are read again this often (a rule's scope may name tags). */
    static final Duration SERVERS_FRESH_FOR = Duration.ofSeconds(10);
    /**
     * After a start every agent is offline until it reconnects (seconds): offline rules wait this
     * long, or a hub restart would page for the whole fleet.
     */
    static final Duration OFFLINE_GRACE_AFTER_START = Duration.ofSeconds(60);
    /** A firing alert is told again this often to receivers that would otherwise let it end (Alertmanager). */
    static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(60);

    /** Docker states in which a container is not doing its job (created and paused are deliberate). */
    static final Set<String> BROKEN_STATES = Set.of("exited", "dead", "restarting");

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    /** Told once per storage outage; other failures with their stack trace, and evaluation goes on with the next sample. */
    private final TaskFailures failures = new TaskFailures(LOG, "alert evaluation");

    private record Key(String ruleId, String serverId, String subject) {
    }

    private final AlertStore store;
    private final ServerStore servers;
    private final AgentLinks links;
    private final Clock clock;
    private final Consumer<Map<String, Object>> changed;
    private final BiPredicate<String, String> stoppedOnPurpose;
    private final Notices notices;
    private final BusiestProcesses busiest;
    private final SilenceStore silenceStore;
    private final Instant startedAt;
    private final Peers peers;
    private final ThreadPoolExecutor thread;
    private final AtomicLong unjudged = new AtomicLong();

    // Touched only on the evaluator's thread.
    private List<AlertRule> rules = List.of();
    private List<Silence> silences = List.of();
    private final Map<Key, Alert> open = new HashMap<>();
    /** When each firing alert was last told (or kept alive), by alert id; empty after a start, so that all are told again. */
    private final Map<String, Instant> keptAliveAt = new HashMap<>();
    private Map<String, ServerStore.Row> fleet = Map.of();
    private Instant fleetReadAt = Instant.MIN;
    /** Since when this instance runs the timers (offline rules, repeats); null while another instance leads. */
    private Instant leadingSince;

    /**
     * {@code changed} hears of every change of state (the alert as the API shows it), on the evaluator's thread;
     * {@code stoppedOnPurpose} tells which containers (server id, name) an operator stopped through the hub.
     */
    AlertEvaluator(AlertStore store, SilenceStore silenceStore, ServerStore servers, AgentLinks links, Clock clock,
            Consumer<Map<String, Object>> changed, BiPredicate<String, String> stoppedOnPurpose, Notices notices, BusiestProcesses busiest,
            Peers peers) {
        this.peers = peers;
        this.busiest = busiest;
        this.silenceStore = silenceStore;
        this.store = store;
        this.notices = notices;
        this.stoppedOnPurpose = stoppedOnPurpose;
        this.servers = servers;
        this.links = links;
        this.clock = clock;
        this.changed = changed;
        this.startedAt = clock.instant();
        this.leadingSince = startedAt;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), runnable -> {
            Thread t = new Thread(runnable, "alert-evaluator");
            t.setDaemon(true);
            return t;
        });
        submit(() -> {
            rules = store.rules();
            silences = silenceStore.active(clock.instant());
            store.open().forEach(this::hold);
        });
    }

    /** A sample of the server was stored ({@code previous}: the one before it, for rates); judged soon, in arrival order. */
    void sampleStored(String serverId, Metrics sample, Metrics previous) {
        submit(() -> judge(serverId, sample, previous));
    }

    /** The server's agent reported its containers. */
    void containersReported(String serverId, Containers report) {
        submit(() -> judgeContainers(serverId, report));
    }

    /** A silence was created or deleted. */
    void silencesChanged() {
        submit(() -> silences = silenceStore.active(clock.instant()));
    }

    /** Rules were created, changed or deleted. */
    void rulesChanged() {
        submit(this::reloadRules);
    }

    /**
     * Judges offline rules and repeats now, by the hub's clock; the hub runs this every few seconds.
     * With several hub instances, only the leading one does, with the open alerts read afresh: the
     * others change them too, each for the servers whose agents it holds.
     */
    void checkOffline() {
        submit(() -> {
            if (!peers.leads()) {
                leadingSince = null;
                return;
            }
            if (leadingSince == null) {
                leadingSince = clock.instant();
            }
            store.runTimersAlone(() -> {
                if (peers.clustered()) {
                    open.clear();
                    store.open().forEach(this::hold);
                }
                judgeOffline();
                judgeRepeats();
            });
        });
    }

    /** The server's agent connected to this instance, perhaps from another: its open alerts are read afresh before its next sample. */
    void serverArrived(String serverId) {
        if (peers.clustered()) {
            submit(() -> reload(serverId));
        }
    }

    private void reload(String serverId) {
        open.keySet().removeIf(key -> key.serverId().equals(serverId));
        store.openOf(serverId).forEach(this::hold);
    }

    private void hold(Alert alert) {
        open.put(new Key(alert.ruleId(), alert.serverId(), alert.subject()), alert);
    }

    /** An alert was acknowledged: it repeats no more. */
    void acknowledged(String alertId, String by, Instant at) {
        submit(() -> open.replaceAll((key, alert) -> alert.id().equals(alertId) ? alert.acknowledged(by, at) : alert));
    }

    /** Waits until everything submitted so far was judged: for tests. */
    void settle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        submit(done::countDown);
        done.await(10, TimeUnit.SECONDS);
    }

    long unjudged() {
        return unjudged.get();
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(() -> failures.run(task));
        } catch (RejectedExecutionException e) {
            if (unjudged.incrementAndGet() % 1_000 == 1) {
                LOG.warn("alert evaluation is behind: {} samples left unjudged so far", unjudged.get());
            }
        }
    }

    private void judge(String serverId, Metrics sample, Metrics before) {
        Optional<ServerStore.Row> server = server(serverId);
        if (server.isEmpty()) {
            return;
        }
        for (AlertRule rule : rules) {
            if (!rule.enabled() || rule.kind() != AlertRule.Kind.METRIC || !rule.scope().covers(serverId, server.get().server().tags())) {
                continue;
            }
            Map<String, Double> values = rule.metric().values(sample, before);
            values.forEach((subject, value) ->
                    apply(rule, serverId, subject, value, rule.op().holds(value, rule.threshold()), sample.timestamp(), sample.timestamp()));
            if (rule.metric().namesEverySubject(sample)) {
                for (String gone : openSubjectsNotIn(rule, serverId, values.keySet())) {
                    apply(rule, serverId, gone, 0.0, rule.op().holds(0.0, rule.threshold()), sample.timestamp(), sample.timestamp());
                }
            }
        }
    }

    /**
     * Container rules, judged by the report's time: a matching container that is exited, dead,
     * restarting or unhealthy breaks the rule, unless an operator stopped it through the hub; one
     * that is gone from the report no longer does.
     */
    private void judgeContainers(String serverId, Containers report) {
        Optional<ServerStore.Row> server = server(serverId);
        if (server.isEmpty()) {
            return;
        }
        Instant at = report.timestamp();
        for (AlertRule rule : rules) {
            if (!rule.enabled() || rule.kind() != AlertRule.Kind.CONTAINER || !rule.scope().covers(serverId, server.get().server().tags())) {
                continue;
            }
            Pattern glob = Glob.compile(rule.container());
            Set<String> seen = new HashSet<>();
            for (ContainerInfo container : report.containers()) {
                if (glob.matcher(container.name()).matches()) {
                    seen.add(container.name());
                    boolean broken = (BROKEN_STATES.contains(container.state()) || "unhealthy".equals(container.health()))
                            && !stoppedOnPurpose.test(serverId, container.name());
                    apply(rule, serverId, container.name(), null, broken, at, at);
                }
            }
            for (String gone : openSubjectsNotIn(rule, serverId, seen)) {
                apply(rule, serverId, gone, null, false, at, at);
            }
        }
    }

    /** The subjects of the rule's open alerts on the server that are not among {@code seen}: gone from the latest report. */
    private List<String> openSubjectsNotIn(AlertRule rule, String serverId, Set<String> seen) {
        return open.keySet().stream().filter(key -> key.ruleId().equals(rule.id()) && key.serverId().equals(serverId)
                && !seen.contains(key.subject())).map(Key::subject).toList();
    }

    private void judgeOffline() {
        Instant now = clock.instant();
        // A new leader waits as a restarted hub does: the agents of an instance that died are reconnecting.
        if (Duration.between(leadingSince, now).compareTo(OFFLINE_GRACE_AFTER_START) < 0
                || rules.stream().noneMatch(rule -> rule.enabled() && rule.kind() == AlertRule.Kind.OFFLINE)) {
            return;
        }
        refreshFleet(true);
        for (AlertRule rule : rules) {
            if (!rule.enabled() || rule.kind() != AlertRule.Kind.OFFLINE) {
                continue;
            }
            for (ServerStore.Row row : fleet.values()) {
                String id = row.server().id();
                if (rule.scope().covers(id, row.server().tags())) {
                    boolean offline = row.lastSeen() != null && !links.isOnline(id);
                    // Offline since its last contact, so "offline for 5 min" means five minutes of silence.
                    apply(rule, id, AlertMetric.SERVER, null, offline, offline ? row.lastSeen() : now, now);
                }
            }
        }
    }

    /**
     * One subject's condition at {@code at}: {@code since} is when it began to hold (the sample's
     * own time for metrics, the last contact for offline).
     */
    private void apply(AlertRule rule, String serverId, String subject, Double value, boolean holds, Instant since, Instant at) {
        Key key = new Key(rule.id(), serverId, subject);
        Alert current = open.get(key);
        if (current == null) {
            if (holds) {
                boolean firing = !at.isBefore(since.plusSeconds(rule.forSeconds()));
                Alert opened = new Alert(UUID.randomUUID().toString(), rule.id(), serverId, subject,
                        firing ? Alert.State.FIRING : Alert.State.PENDING, value, since, firing ? at : null, null, null, null, null);
                busiest.measure(rule, serverId, at);
                Notice notice = firing ? firingNotice(opened, rule) : null;
                Alert recorded = notice == null ? opened : opened.notifiedAt(clock.instant());
                if (store.record(recorded, true, notice, rule.channelIds())) {
                    open.put(key, recorded);
                    changed.accept(shown(recorded, rule));
                } else if (peers.clustered()) {
                    reload(serverId); // another instance opened it: continue that one
                }
            }
            return;
        }
        if (at.isBefore(current.startedAt())) {
            return; // an older sample replayed late says nothing about this breach
        }
        if (holds && current.state() == Alert.State.PENDING && !at.isBefore(current.startedAt().plusSeconds(rule.forSeconds()))) {
            Alert firing = current.firing(at, value);
            busiest.measure(rule, serverId, at);
            Notice notice = firingNotice(firing, rule);
            record(key, notice == null ? firing : firing.notifiedAt(clock.instant()), rule, notice);
        } else if (!holds) {
            Alert resolved = current.resolved(at, value);
            // Only an alert whose firing was told is told it resolved.
            record(key, resolved, rule, current.lastNotifiedAt() != null ? notice(Notices.RESOLVED, resolved, rule) : null);
        }
    }

    private void record(Key key, Alert next, AlertRule rule, Notice notice) {
        if (!store.record(next, false, notice, rule.channelIds())) {
            open.remove(key); // deleted with its rule or server, or resolved meanwhile
            return;
        }
        if (next.open()) {
            open.put(key, next);
        } else {
            open.remove(key);
            keptAliveAt.remove(next.id());
        }
        changed.accept(shown(next, rule));
    }

    /** The alert as the API shows it, from what this thread holds (no database read per change). */
    private Map<String, Object> shown(Alert alert, AlertRule rule) {
        ServerStore.Row server = fleet.get(alert.serverId());
        return alert.json(rule, server == null ? null : server.server().name());
    }

    /** What to tell the rule's channels; nothing when it has none or a silence covers the alert. */
    private Notice notice(String event, Alert alert, AlertRule rule) {
        ServerStore.Row server = fleet.get(alert.serverId());
        Instant now = clock.instant();
        if (server == null || rule.channelIds().isEmpty() || silences.stream().anyMatch(s -> s.silences(alert, now))) {
            return null;
        }
        return notices.of(event, alert, rule, server.server(), event.equals(Notices.FIRING) ? busiest.of(alert, rule) : List.of());
    }

    /**
     * The notice that an alert fires; none yet while the busiest processes of a CPU or memory alert
     * are being measured: the alert is then told with the next round of timers ({@link #judgeRepeats}).
     */
    private Notice firingNotice(Alert alert, AlertRule rule) {
        return busiest.worthWaiting(alert, rule) ? null : notice(Notices.FIRING, alert, rule);
    }

    /**
     * Firing alerts not told yet (silenced until now, a rule that had no channel, or the busiest
     * processes being measured) are told now;
     * those of rules with repeat_seconds, not acknowledged, are told again once that long passed;
     * the others are kept alive every minute where a receiver needs that (acknowledged ones too:
     * an acknowledged alert still fires).
     */
    private void judgeRepeats() {
        Instant now = clock.instant();
        Map<String, AlertRule> byId = new HashMap<>();
        rules.forEach(rule -> byId.put(rule.id(), rule));
        for (Map.Entry<Key, Alert> entry : List.copyOf(open.entrySet())) {
            Alert alert = entry.getValue();
            AlertRule rule = byId.get(alert.ruleId());
            if (rule == null || alert.state() != Alert.State.FIRING || rule.channelIds().isEmpty()) {
                continue;
            }
            refreshFleet(false);
            if (alert.lastNotifiedAt() == null) {
                busiest.measure(rule, alert.serverId(), alert.firingAt()); // when another instance judged it: measured here too
                if (busiest.worthWaiting(alert, rule)) {
                    continue;
                }
                Notice late = notice(Notices.FIRING, alert, rule);
                if (late != null) {
                    record(entry.getKey(), alert.notifiedAt(now), rule, late);
                }
                continue;
            }
            if (rule.repeatSeconds() > 0 && alert.acknowledgedBy() == null
                    && !now.isBefore(alert.lastNotifiedAt().plusSeconds(rule.repeatSeconds()))) {
                Alert repeated = alert.notifiedAt(now);
                Notice notice = notice(Notices.REPEAT, repeated, rule);
                if (notice != null) {
                    record(entry.getKey(), repeated, rule, notice);
                    continue;
                }
            }
            Instant told = keptAliveAt.getOrDefault(alert.id(), Instant.MIN);
            if (told.isBefore(alert.lastNotifiedAt())) {
                told = alert.lastNotifiedAt();
            }
            if (!now.isBefore(told.plus(KEEP_ALIVE_EVERY))) {
                Notice stillFiring = notice(Notices.KEEP_ALIVE, alert, rule);
                if (stillFiring != null) {
                    store.keepAlive(stillFiring, rule.channelIds());
                }
                keptAliveAt.put(alert.id(), now);
            }
        }
    }

    /** New rules; the open alerts of a rule that was deleted or disabled end now. */
    private void reloadRules() {
        rules = store.rules();
        Map<String, AlertRule> byId = new HashMap<>();
        rules.forEach(rule -> byId.put(rule.id(), rule));
        Instant now = clock.instant();
        for (Map.Entry<Key, Alert> entry : List.copyOf(open.entrySet())) {
            AlertRule rule = byId.get(entry.getKey().ruleId());
            if (rule == null) {
                open.remove(entry.getKey());
            } else if (!rule.enabled()) {
                Alert current = entry.getValue();
                Alert resolved = current.resolved(now, current.value());
                record(entry.getKey(), resolved, rule, current.lastNotifiedAt() != null ? notice(Notices.RESOLVED, resolved, rule) : null);
            }
        }
    }

    private Optional<ServerStore.Row> server(String serverId) {
        refreshFleet(false);
        ServerStore.Row row = fleet.get(serverId);
        if (row == null) {
            refreshFleet(true); // a server added since the last read
            row = fleet.get(serverId);
        }
        return Optional.ofNullable(row);
    }

    private void refreshFleet(boolean now) {
        Instant at = clock.instant();
        if (now || at.isAfter(fleetReadAt.plus(SERVERS_FRESH_FOR)) || at.isBefore(fleetReadAt)) {
            Map<String, ServerStore.Row> read = new HashMap<>();
            servers.all().forEach(row -> read.put(row.server().id(), row));
            fleet = read;
            fleetReadAt = at;
        }
    }
}
