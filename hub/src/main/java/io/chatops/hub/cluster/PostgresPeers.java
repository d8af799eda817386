package io.chatops.hub.cluster;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Peers} over PostgreSQL, with no other broker: the tables are the truth, NOTIFY only a
 * wake-up. Each instance has a row in {@code hub_instances} renewed by a heartbeat; one silent for
 * {@link #DEAD_AFTER} is dead, and after {@link #FORGET_AFTER} any instance deletes its row, which
 * deletes what it held. A message is a row in {@code hub_messages} written in batches, with a
 * NOTIFY on the recipient's channel in the same statement, by this instance's sender thread — or,
 * for a message someone waits for, by the thread that sends it when no batch is being written, one
 * thread handoff sooner; either way one writer at a time, in the order queued. The
 * recipient's listener deletes and handles its rows when notified and every {@link #CHECK_EVERY}
 * anyway, so that a notification lost while its connection was down only delays a message. A
 * message someone waits for ({@link #sendNow}) also travels in its notification, so the recipient
 * handles it one round trip sooner and deletes its row with the next read; each sender's messages
 * are handled once and in order whichever way they came (a watermark of sequence numbers).
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
    /** A notification's payload holds under 8 000 bytes; a longer message comes from the table only. */
    static final int MAX_CARRIED_BYTES = 7_900;
    private static final String HELLO = "peer.hello";
    private static final String CHANNEL_PREFIX = "chatops_hub_";
    private static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPeers.class);

    private record Outgoing(String to, long seq, String kind, String body, boolean now) {
        /** The notification's payload: the message itself when it is waited for and fits, else empty (a wake-up). */
        String payload(String from) {
            if (!now) {
                return "";
            }
            String carried = from + " " + seq + " " + kind + "\n" + body;
            return carried.getBytes(StandardCharsets.UTF_8).length <= MAX_CARRIED_BYTES ? carried : "";
        }
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
    /** Held while taking messages from the queue and writing them: rows are committed in the order they were numbered. */
    private final ReentrantLock writing = new ReentrantLock();
    /** The connection messages are written on (guarded by {@link #writing}). */
    private Connection out;
    private final AtomicLong dropped = new AtomicLong();
    /** The last sequence number handled from each sender; read and written by the listener thread only. */
    private final Map<String, Long> handledUpTo = new HashMap<>();
    private final AtomicLong handledFromNotifications = new AtomicLong();
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
        return queue(to, kind, body, false);
    }

    @Override
    public boolean sendNow(String to, String kind, String body) {
        return queue(to, kind, body, true);
    }

    private boolean queue(String to, String kind, String body, boolean now) {
        if (closed || to.equals(self)) {
            return false;
        }
        // Numbered as queued: they are written in this order.
        boolean queued;
        synchronized (queue) {
            queued = queue.offer(new Outgoing(to, seq.incrementAndGet(), kind, body, now));
            queue.notifyAll();
        }
        if (queued) {
            if (now && writing.tryLock()) {
                try {
                    writeQueued();
                } finally {
                    writing.unlock();
                }
            }
            return true;
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
        while (!closed || !queue.isEmpty()) {
            try {
                synchronized (queue) {
                    while (queue.isEmpty() && !closed) {
                        queue.wait(100);
                    }
                }
            } catch (InterruptedException e) {
                if (!closed) {
                    break;
                }
                // closing: write what is queued, then stop
            }
            writing.lock();
            try {
                writeQueued();
            } finally {
                writing.unlock();
            }
        }
        writing.lock();
        try {
            closeQuietly(out);
            out = null;
        } finally {
            writing.unlock();
        }
    }

    /** Writes what is queued, a batch at a time, holding {@link #writing}. */
    private void writeQueued() {
        List<Outgoing> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                if (out == null) {
                    out = outgoingConnection();
                }
                write(out, batch);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{} messages to other hub instances were lost: {}", batch.size(), e.getMessage());
                closeQuietly(out);
                out = null;
            }
            batch.clear();
        }
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
     * Writes {@code batch} and notifies its recipients in one statement (so in one transaction: a
     * recipient is woken only once its rows are there), one notification per message in their
     * order; PostgreSQL delivers identical empty ones to a channel once. A message to an instance
     * that is gone is dropped.
     */
    private void write(Connection out, List<Outgoing> batch) throws SQLException {
        StringBuilder sql = new StringBuilder("WITH v (t, f, s, k, b, p) AS (VALUES ");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, CAST(? AS BIGINT), ?, ?, ?)");
        }
        sql.append("), m AS (INSERT INTO hub_messages (to_instance, from_instance, seq, kind, body, created_at)"
                + " SELECT t, f, s, k, b, " + NOW_MS + " FROM v WHERE EXISTS (SELECT 1 FROM hub_instances i WHERE i.id = v.t) RETURNING seq)"
                + " SELECT pg_notify('" + CHANNEL_PREFIX + "' || w.t, w.p) FROM (SELECT v.t, v.p FROM v JOIN m ON m.seq = v.s ORDER BY v.s) w");
        try (PreparedStatement insert = out.prepareStatement(sql.toString())) {
            int column = 1;
            for (Outgoing message : batch) {
                insert.setString(column++, message.to());
                insert.setString(column++, self);
                insert.setLong(column++, message.seq());
                insert.setString(column++, message.kind());
                insert.setString(column++, message.body());
                insert.setString(column++, message.payload(self));
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
                long lastRead = readAll(connection);
                while (!closed) {
                    long waitMillis = Math.max(1, CHECK_EVERY.toMillis() - (System.nanoTime() - lastRead) / 1_000_000);
                    PGNotification[] woken = pg.getNotifications((int) waitMillis); // returns early when notified
                    boolean unread = woken == null || woken.length == 0; // the periodic check
                    for (PGNotification notification : woken == null ? new PGNotification[0] : woken) {
                        if (notification.getParameter().isEmpty()) {
                            unread = true;
                            continue;
                        }
                        if (unread) {
                            lastRead = readAll(connection); // what came before this one first
                            unread = false;
                        }
                        handleCarried(notification.getParameter());
                    }
                    if (unread || System.nanoTime() - lastRead >= CHECK_EVERY.toNanos()) {
                        lastRead = readAll(connection); // also deletes the rows of messages that came in their notification
                    }
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

    /** Reads until no message for this instance is left; returns when it started, in {@link System#nanoTime()}. */
    private long readAll(Connection connection) throws SQLException {
        long started = System.nanoTime();
        while (readSome(connection) == READ_AT_ONCE) {
            // more are waiting
        }
        return started;
    }

    /** A message that came in its notification: "from seq kind", a newline, the body. */
    private void handleCarried(String payload) {
        Optional<Incoming> message = carried(payload);
        if (message.isEmpty()) {
            LOG.warn("an unreadable notification from another hub instance was ignored; its message is read from the table");
            return;
        }
        if (!others.contains(message.get().from())) {
            refreshOthers();
        }
        if (handle(message.get())) {
            handledFromNotifications.incrementAndGet();
        }
    }

    /** The message in a notification's payload ({@link Outgoing#payload}), or empty when it is not one. */
    private static Optional<Incoming> carried(String payload) {
        int newline = payload.indexOf('\n');
        String[] header = payload.substring(0, Math.max(0, newline)).split(" ");
        if (header.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Incoming(header[0], Long.parseLong(header[1]), header[2], payload.substring(newline + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** How many messages were handled as they came in their notification, before their row was read. */
    long handledFromNotifications() {
        return handledFromNotifications.get();
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
            handle(message);
        }
        return messages.size();
    }

    /**
     * Hands {@code message} to its handler unless it was handled already (it came in its notification,
     * then from the table, or the other way round); false when it was.
     */
    private boolean handle(Incoming message) {
        if (message.seq() <= handledUpTo.getOrDefault(message.from(), 0L)) {
            return false;
        }
        handledUpTo.put(message.from(), message.seq());
        Handler handler = handlers.get(message.kind());
        if (handler == null) {
            LOG.warn("a message of unknown kind {} from hub instance {} was ignored", message.kind(), message.from());
            return true;
        }
        try {
            handler.received(message.from(), message.body());
        } catch (RuntimeException e) {
            LOG.error("handling a {} message from hub instance {} failed", message.kind(), message.from(), e);
        }
        return true;
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
