package io.chatops.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.TestDatabases;
import io.chatops.hub.db.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages between two instances on one PostgreSQL: each handled once, in its sender's order, however it came. */
class PostgresPeersTest {
    @TempDir
    Path dir;

    TestDatabases.TestDatabase testDatabase;
    Database database;
    PostgresPeers sender;
    PostgresPeers recipient;
    final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        testDatabase = TestDatabases.fresh("postgresql");
        database = Database.open(testDatabase.url(), null, null, dir);
        sender = new PostgresPeers(database.jdbi(), database::connectDirect);
        recipient = new PostgresPeers(database.jdbi(), database::connectDirect);
        for (PostgresPeers peers : List.of(sender, recipient)) {
            peers.on("plain", (from, body) -> received.add(body));
            peers.on("waited", (from, body) -> received.add(body));
            peers.start();
        }
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        recipient.close();
        database.close();
        testDatabase.close();
    }

    @Test
    void messages_waited_for_and_not_arrive_once_each_in_the_order_sent() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            boolean waited = ThreadLocalRandom.current().nextInt(3) == 0;
            // Some too long to travel in a notification: those come from the table only.
            String body = i + (i % 97 == 0 ? "x".repeat(PostgresPeers.MAX_CARRIED_BYTES) : "") + " é";
            sent.add(body);
            boolean queued = waited ? sender.sendNow(recipient.self(), "waited", body) : sender.send(recipient.self(), "plain", body);
            assertThat(queued).isTrue();
            if (i % 50 == 0) {
                Thread.sleep(1); // several batches, so that notifications and reads interleave
            }
        }
        eventually(() -> received.size() >= sent.size());
        Thread.sleep(2 * PostgresPeers.CHECK_EVERY.toMillis()); // the table is read again: nothing comes twice
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(unread()).isZero();
    }

    @Test
    void messages_sent_by_many_threads_at_once_arrive_once_each_in_each_thread_s_order() throws Exception {
        int threads = 8;
        int each = 300;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    // Waited-for ones are written by the sending thread when it finds no batch being written.
                    if (i % 2 == 0) {
                        sender.sendNow(recipient.self(), "waited", name + " " + i);
                    } else {
                        sender.send(recipient.self(), "plain", name + " " + i);
                    }
                }
            }));
        }
        for (Thread thread : senders) {
            thread.join();
        }
        eventually(() -> received.size() >= threads * each);
        Thread.sleep(2 * PostgresPeers.CHECK_EVERY.toMillis());
        assertThat(received).hasSize(threads * each).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + " ";
            assertThat(received.stream().filter(body -> body.startsWith(prefix)).map(body -> Integer.parseInt(body.substring(prefix.length()))))
                    .as("the order of thread %d", t).isSorted();
        }
    }

    @Test
    void a_message_waited_for_is_handled_from_its_notification_before_its_row_is_read() throws Exception {
        for (int i = 0; i < 20; i++) {
            sender.sendNow(recipient.self(), "waited", "request " + i);
            Thread.sleep(30); // one at a time, each with its own wake-up
        }
        eventually(() -> received.size() == 20);
        // All but those the periodic read of the table happened to take first.
        assertThat(recipient.handledFromNotifications()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void a_message_whose_notification_was_lost_is_read_by_the_periodic_check() throws Exception {
        sender.send(recipient.self(), "plain", "before"); // the sender's sequence numbers start where a real one's would
        eventually(() -> received.size() == 1);
        // A row with no notification, as when the listener's connection was down while it was sent.
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO hub_messages (to_instance, from_instance, seq, kind, body, created_at)"
                + " VALUES (?, ?, 1000, 'plain', 'without a wake-up', 0)").bind(0, recipient.self()).bind(1, sender.self()).execute());
        eventually(() -> received.size() == 2);
        assertThat(received).containsExactly("before", "without a wake-up");
    }

    private long unread() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM hub_messages").mapTo(Long.class).one());
    }

    private static void eventually(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
