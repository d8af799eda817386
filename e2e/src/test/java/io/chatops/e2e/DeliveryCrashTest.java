package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real hub jar killed with SIGKILL while a notification is on its way: after the restart it is
 * sent again with the same webhook-id (at least once), and the alert that fired is still the one alert.
 */
class DeliveryCrashTest {
    @TempDir
    Path dir;

    RealHub hub;
    HttpServer receiver;
    /** Webhook ids and events in the order requests arrived. */
    final List<String> received = new CopyOnWriteArrayList<>();
    /** The first request is held unanswered until the test ends, like a receiver that hangs. */
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        hub = new RealHub(dir);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestHeaders().getFirst("webhook-id") + " " + RealHub.JSON.readTree(body).path("event").asText());
            if (received.size() == 1) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        receiver.stop(0);
        hub.close();
    }

    @Test
    void a_notification_in_flight_when_the_hub_is_killed_is_sent_again_with_the_same_id_after_the_restart() throws Exception {
        JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"crash-01\"}", 201);
        hub.startAgent(created.path("api_key").path("key").asText());
        String channel = hub.call("POST", "/api/v1/notification-channels", hub.admin, "{\"name\":\"hook\",\"type\":\"webhook\","
                + "\"config\":{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}}", 201).path("id").asText();
        hub.call("POST", "/api/v1/alert-rules", hub.admin, """
                {"name":"CPU seen","kind":"metric","metric":"cpu_percent","op":">=","threshold":0,"channel_ids":["%s"]}"""
                .formatted(channel), 201);

        String inFlight = eventually("the firing notification at the receiver", () -> received.isEmpty() ? null : received.get(0),
                first -> first != null);
        assertThat(inFlight).endsWith(" alert.firing");

        hub.killAndRestartHub();

        eventually("the same notification sent again after the restart", () -> received.size() >= 2 && received.get(1).equals(inFlight));
        JsonNode deliveries = eventually("the delivery recorded as sent",
                () -> hub.call("GET", "/api/v1/notifications?channel_id=" + channel, hub.admin, null, 200),
                list -> list.size() == 1 && list.get(0).path("state").asText().equals("sent"));
        assertThat(inFlight).startsWith(deliveries.get(0).path("id").asText() + " ");
        Thread.sleep(6_000); // more samples arrive and are judged after the restart
        assertThat(hub.call("GET", "/api/v1/alerts?state=all", hub.admin, null, 200)).as("still the one alert").hasSize(1);
        assertThat(received).as("nothing else was sent").hasSize(2);
    }
}
