package io.chatops.hub.cluster;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Peers} over PostgreSQL, with no other broker: the tables are the truth, NOTIFY only a
 * wake-up. Each instance has a row in {@code hub_instances} renewed by a heartbeat; one silent for
 * {@link #DEAD_AFTER} is dead, and after {@link #FORGET_AFTER} any instance deletes its row, which
 * deletes what it held. A message is a row in {@code hub_messages} written by this instance's one
 * sender thread, in batches, with a NOTIFY on the recipient's channel in the same statement; the
 * recipient's listener deletes and handles its rows when notified and every {@link #CHECK_EVERY}
 * anyway, so that a notification lost while its connection was down only delays a message.
 * Times are the database's clock, so that instances on machines whose clocks differ agree.
 */
public final class PostgresPeers implements Peers {
    /** How a dedicated connection for LISTEN is opened (not from the pool, which it would hold forever). */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);
    static final Duration DEAD_AFTER = Duration.ofSeconds(10);
    static final Duration FORGET_AFTER = Duration.ofSeconds(60);
    static final Duration CHECK_EVERY = Duration.ofMillis(500);
    /** Messages waiting for the sender: a few seconds of a large fleet's live events. */
    static final int MAX_QUEUED = 50_000;
    static final int BATCH = 500;
    private static final int READ_AT_ONCE = 2_000;
    private static final String HELLO = "peer.hello";
    private static final String CHANNEL_PREFIX = "chatops_hub_";
    private static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPeers.class);

    private record Outgoing(String to, long seq, String kind, String body) {
    }

    private record Incoming(String from, long seq, String kind, String body) {
    }

    private final String self = newId();
    private final Jdbi jdbi;
    private final Connector connector;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> rejoined = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> departed = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Set<String> others = Set.of();
    private volatile boolean closed;
    private final Thread heartbeat = Thread.ofPlatform().daemon().name("hub-heartbeat").unstarted(this::beatUntilClosed);
    private final Thread sender = Thread.ofPlatform().daemon().name("hub-peers-out").unstarted(this::sendUntilClosed);
    private final Thread listener = Thread.ofPlatform().daemon().name("hub-peers-in").unstarted(this::listenUntilClosed);

    public PostgresPeers(Jdbi jdbi, Connector connector) {
        this.jdbi = jdbi;
        this.connector = connector;
        handlers.put(HELLO, (from, body) -> {
        });
    }

    @Override
    public void start() {
        join();
        heartbeat.start();
        sender.start();
        listener.start();
        LOG.info("hub instance {} joined; {} other instances alive", self, others.size());
    }

    private static String newId() {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public Set<String> others() {
        return others;
    }

    @Override
    public boolean send(String to, String kind, String body) {
        if (closed || to.equals(self)) {
            return false;
        }
        // Numbered as queued: the one sender thread writes them in this order.
        synchronized (queue) {
            if (queue.offer(new Outgoing(to, seq.incrementAndGet(), kind, body))) {
                return true;
            }
        }
        if (dropped.incrementAndGet() % 1_000 == 1) {
            LOG.warn("messages to other hub instances are dropped: {} waiting, the database is not keeping up", MAX_QUEUED);
        }
        return false;
    }

    @Override
    public void on(String kind, Handler handler) {
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("messages of kind " + kind + " already have a handler");
        }
    }

    @Override
    public void whenRejoined(Runnable action) {
        rejoined.add(action);
    }

    @Override
    public void whenDeparted(Consumer<String> listener) {
        departed.add(listener);
    }

    private void join() {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO hub_instances (id, started_at, heartbeat_at) VALUES (?, " + NOW_MS + ", "
                + NOW_MS + ")").bind(0, self).execute());
        refreshOthers();
        // The others learn of this instance at once (a message from an unknown sender makes them look), not at their next heartbeat.
        others.forEach(other -> send(other, HELLO, ""));
    }

    private void beatUntilClosed() {
        boolean failing = false;
        while (!closed) {
            try {
                Thread.sleep(HEARTBEAT_EVERY.toMillis());
                beat();
                if (failing) {
                    LOG.info("the heartbeat of hub instance {} reaches the database again", self);
                }
                failing = false;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warn("the heartbeat of hub instance {} failed ({}); tried again every {} s", self, e.getMessage(),
                            HEARTBEAT_EVERY.toSeconds());
                }
                failing = true;
            }
        }
    }

    private void beat() {
        int renewed = jdbi.withHandle(h -> h.createUpdate("UPDATE hub_instances SET heartbeat_at = " + NOW_MS + " WHERE id = ?")
                .bind(0, self).execute());
        if (renewed == 0) {
            // The others took this instance for dead and deleted what it held: record it again.
            LOG.warn("hub instance {} was taken for dead (no heartbeat for {} s); joining again", self, FORGET_AFTER.toSeconds());
            join();
            rejoined.forEach(Runnable::run);
        }
        refreshOthers();
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM hub_instances WHERE heartbeat_at < " + NOW_MS + " - ?").bind(0, FORGET_AFTER.toMillis()).execute();
            // Messages nobody read in that time were for an instance that died before reading them.
            h.createUpdate("DELETE FROM hub_messages WHERE created_at < " + NOW_MS + " - ?").bind(0, FORGET_AFTER.toMillis()).execute();
        });
    }

    private synchronized void refreshOthers() {
        Set<String> before = others;
        others = Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT id FROM hub_instances WHERE heartbeat_at > " + NOW_MS
                + " - ? AND id <> ?").bind(0, DEAD_AFTER.toMillis()).bind(1, self).mapTo(String.class).list()));
        for (String instance : before) {
            if (!others.contains(instance)) {
                LOG.warn("hub instance {} left or stopped answering", instance);
                departed.forEach(listener -> listener.accept(instance));
            }
        }
    }

    private void sendUntilClosed() {
        List<Outgoing> batch = new ArrayList<>(BATCH);
        Connection out = null; // its own connection: a batch is one statement, not a transaction's five round trips
        while (!closed || !queue.isEmpty()) {
            try {
                Outgoing first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                if (out == null) {
                    out = outgoingConnection();
                }
                write(out, batch);
            } catch (InterruptedException e) {
                if (closed) {
                    continue; // write what is queued, then stop
                }
                break;
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{} messages to other hub instances were lost: {}", batch.size(), e.getMessage());
                closeQuietly(out);
                out = null;
            }
            batch.clear();
        }
        closeQuietly(out);
    }

    private Connection outgoingConnection() throws SQLException {
        Connection connection = connector.connect();
        try (Statement settings = connection.createStatement()) {
            // Messages live for milliseconds: a commit need not wait for the disk (a crash of the database loses
            // at most the last ones, which their senders then time out on, as when an instance dies).
            settings.execute("SET synchronous_commit = off");
        }
        return connection;
    }

    /**
     * Writes {@code batch} and notifies each recipient in one statement (so in one transaction: a
     * recipient is woken only once its rows are there). A message to an instance that is gone is dropped.
     */
    private void write(Connection out, List<Outgoing> batch) throws SQLException {
        StringBuilder sql = new StringBuilder("WITH m AS (INSERT INTO hub_messages (to_instance, from_instance, seq, kind, body, created_at)"
                + " SELECT v.t, v.f, v.s, v.k, v.b, " + NOW_MS + " FROM (VALUES ");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, CAST(? AS BIGINT), ?, ?)");
        }
        sql.append(") AS v (t, f, s, k, b) WHERE EXISTS (SELECT 1 FROM hub_instances i WHERE i.id = v.t) RETURNING to_instance)"
                + " SELECT pg_notify('" + CHANNEL_PREFIX + "' || to_instance, '') FROM (SELECT DISTINCT to_instance FROM m) recipients");
        try (PreparedStatement insert = out.prepareStatement(sql.toString())) {
            int column = 1;
            for (Outgoing message : batch) {
                insert.setString(column++, message.to());
                insert.setString(column++, self);
                insert.setLong(column++, message.seq());
                insert.setString(column++, message.kind());
                insert.setString(column++, message.body());
            }
            insert.execute();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it was failing anyway
            }
        }
    }

    static String channel(String instance) {
        return CHANNEL_PREFIX + instance;
    }

    private void listenUntilClosed() {
        boolean failing = false;
        while (!closed) {
            try (Connection connection = connector.connect()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("SET synchronous_commit = off"); // its deletes of read messages, likewise
                    listen.execute("LISTEN " + channel(self));
                }
                if (failing) {
                    LOG.info("hub instance {} reads its messages again", self);
                }
                failing = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    while (readSome(connection) == READ_AT_ONCE) {
                        // more are waiting
                    }
                    pg.getNotifications((int) CHECK_EVERY.toMillis()); // returns early when notified
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    LOG.warn("hub instance {} cannot read its messages ({}); trying again", self, e.getMessage());
                }
                failing = true;
                try {
                    Thread.sleep(CHECK_EVERY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Takes up to {@link #READ_AT_ONCE} messages for this instance and hands them to their handlers; returns how many. */
    private int readSome(Connection connection) throws SQLException {
        List<Incoming> messages = new ArrayList<>();
        try (PreparedStatement take = connection.prepareStatement("DELETE FROM hub_messages WHERE to_instance = ? AND (from_instance, seq) IN"
                + " (SELECT from_instance, seq FROM hub_messages WHERE to_instance = ? ORDER BY from_instance, seq LIMIT " + READ_AT_ONCE
                + ") RETURNING from_instance, seq, kind, body")) {
            take.setString(1, self);
            take.setString(2, self);
            try (ResultSet rows = take.executeQuery()) {
                while (rows.next()) {
                    messages.add(new Incoming(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4)));
                }
            }
        }
        messages.sort(Comparator.comparing(Incoming::from).thenComparingLong(Incoming::seq));
        if (messages.stream().anyMatch(message -> !others.contains(message.from()))) {
            refreshOthers(); // an instance that joined since the last heartbeat: answer it, and tell it what happens, from now on
        }
        for (Incoming message : messages) {
            Handler handler = handlers.get(message.kind());
            if (handler == null) {
                LOG.warn("a message of unknown kind {} from hub instance {} was ignored", message.kind(), message.from());
                continue;
            }
            try {
                handler.received(message.from(), message.body());
            } catch (RuntimeException e) {
                LOG.error("handling a {} message from hub instance {} failed", message.kind(), message.from(), e);
            }
        }
        return messages.size();
    }

    /** Stops, sending what is queued first, and leaves: the row goes, and with it what this instance held. */
    @Override
    public void close() {
        if (!heartbeat.isAlive()) {
            return; // never started
        }
        closed = true;
        heartbeat.interrupt();
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.interrupt();
        try {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM hub_instances WHERE id = ?").bind(0, self).execute());
        } catch (RuntimeException e) {
            LOG.warn("hub instance {} could not remove its row; the others forget it within {} s", self, FORGET_AFTER.toSeconds());
        }
    }
}
