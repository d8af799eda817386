package io.chatops.hub.live;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.db.TaskFailures;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live events across hub instances: what happens on this instance goes to its own browsers and to
 * the other instances' ({@link Peers}), whose events come back the same way. A single server's
 * samples and containers go only to the instances whose browsers follow that server
 * ({@code live_interest}, synced every second); everything else (statuses, commands, alerts, chat)
 * goes to every instance, so that a command's output is replayed wherever its browser subscribes.
 */
public final class LiveRelay implements LivePublisher.Sink {
    static final String KIND = "live";
    private static final String FOLLOW = "live.follow";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);
    private final TaskFailures syncFailures = new TaskFailures(LOG, "sharing which servers browsers follow with other hub instances");

    private final LiveHub local;
    private final Peers peers;
    private final Jdbi jdbi;
    /** The per-server topics this instance last recorded as followed here. */
    private volatile Set<String> recorded = new HashSet<>();
    private final Executor syncer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("live-followers").factory());
    /** Which other instances follow each per-server topic, as last read. */
    private volatile Map<String, Set<String>> followers = Map.of();

    public LiveRelay(LiveHub local, Peers peers, Jdbi jdbi) {
        this.local = local;
        this.peers = peers;
        this.jdbi = jdbi;
        peers.on(KIND, (from, body) -> received(body));
        // A browser here follows a server now: the others learn it at once, not at the next sync.
        peers.on(FOLLOW, (from, body) -> syncFollowers());
        local.whenSubscribed(topic -> {
            if (peers.clustered() && perServer(topic) && !recorded.contains(topic.wireName())) {
                syncer.execute(() -> {
                    syncFollowers();
                    peers.broadcast(FOLLOW, "");
                });
            }
        });
        peers.whenRejoined(() -> {
            synchronized (this) {
                recorded = new HashSet<>(); // the rows went with this instance's; write them again
            }
        });
    }

    @Override
    public void publish(LiveTopic topic, Map<String, Object> payload) {
        local.publish(topic, payload);
        if (!peers.clustered()) {
            return;
        }
        Set<String> to = perServer(topic) ? followers.getOrDefault(topic.wireName(), Set.of()) : peers.others();
        if (to.isEmpty()) {
            return;
        }
        String body;
        try {
            body = "{\"topic\":" + JSON.writeValueAsString(topic.wireName()) + ",\"payload\":" + JSON.writeValueAsString(payload) + "}";
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a live event", e);
        }
        for (String instance : to) {
            if (peers.isAlive(instance)) {
                peers.send(instance, KIND, body);
            }
        }
    }

    private void received(String body) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            LOG.warn("an unreadable live event from another hub instance was ignored");
            return;
        }
        LiveTopic.parse(event.path("topic").asText()).ifPresent(topic -> local.publish(topic, JSON.convertValue(event.get("payload"), MAP)));
    }

    private static boolean perServer(LiveTopic topic) {
        return topic.kind() == LiveTopic.Kind.SERVER_METRICS || topic.kind() == LiveTopic.Kind.SERVER_CONTAINERS;
    }

    /** Records which per-server topics browsers here follow and reads which the others follow: the hub runs this every second. */
    public synchronized void syncFollowers() {
        if (peers.clustered()) {
            syncFailures.run(this::exchangeFollowers);
        }
    }

    private void exchangeFollowers() {
        Set<String> now = new HashSet<>();
        for (LiveTopic topic : local.topicsFollowed()) {
            if (perServer(topic)) {
                now.add(topic.wireName());
            }
        }
        Set<String> gone = new HashSet<>(recorded);
        gone.removeAll(now);
        Set<String> added = new HashSet<>(now);
        added.removeAll(recorded);
        Map<String, Set<String>> read = new HashMap<>();
        jdbi.useTransaction(h -> {
            if (!gone.isEmpty()) {
                PreparedBatch delete = h.prepareBatch("DELETE FROM live_interest WHERE instance_id = ? AND topic = ?");
                gone.forEach(topic -> delete.bind(0, peers.self()).bind(1, topic).add());
                delete.execute();
            }
            if (!added.isEmpty()) {
                PreparedBatch insert = h.prepareBatch("INSERT INTO live_interest (instance_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING");
                added.forEach(topic -> insert.bind(0, peers.self()).bind(1, topic).add());
                insert.execute();
            }
            h.createQuery("SELECT topic, instance_id FROM live_interest WHERE instance_id <> ?").bind(0, peers.self())
                    .map((rs, ctx) -> read.computeIfAbsent(rs.getString(1), t -> new HashSet<>()).add(rs.getString(2))).list();
        });
        recorded = now;
        followers = read;
    }
}
