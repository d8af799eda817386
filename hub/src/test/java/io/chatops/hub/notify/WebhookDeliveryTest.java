package io.chatops.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Metrics;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts reach real receivers on loopback: signed, retried with the same id, in order, and kept across a restart. */
class WebhookDeliveryTest {
    static final Duration WAIT = FiringHub.WAIT;

    @TempDir
    Path dataDir;
    FiringHub fixture;
    Api api;
    String operator;
    Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        fixture = new FiringHub(dataDir);
        api = fixture.api;
        operator = fixture.operator;
        receiver = new Receiver(0);
    }

    @AfterEach
    void stop() {
        fixture.close();
        receiver.close();
    }

    void cpu(double percent) throws InterruptedException {
        fixture.cpu(percent);
    }

    JsonNode channel(String json) throws Exception {
        return fixture.channel(json);
    }

    void rule(String channelId) throws Exception {
        fixture.rule(channelId);
    }

    @Test
    void a_firing_and_a_resolved_alert_arrive_signed_in_order_and_a_429_is_retried_with_the_same_id() throws Exception {
        JsonNode channel = channel("{\"name\":\"ops webhook\",\"type\":\"webhook\",\"config\":{\"url\":\"" + receiver.url("/hook") + "\"}}");
        String secret = channel.path("config").path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        JsonNode read = api.as(operator, "GET", "/api/v1/notification-channels/" + channel.path("id").asText(), null).body();
        assertThat(read.path("config").path("secret").asText()).isEqualTo("whsec_…" + secret.substring(secret.length() - 4));
        rule(channel.path("id").asText());
        receiver.answer(429, "0"); // busy: try again at once

        cpu(99);
        cpu(20);

        Receiver.Request firing = receiver.await(r -> r.body().contains("alert.firing"), WAIT);
        Receiver.Request resolved = receiver.await(r -> r.body().contains("alert.resolved"), WAIT);
        assertThat(receiver.received).hasSize(3);
        assertThat(receiver.received.get(0).header("webhook-id")).as("the retry keeps its id").isEqualTo(firing.header("webhook-id"));
        assertThat(receiver.received.indexOf(firing)).as("firing before resolved").isLessThan(receiver.received.indexOf(resolved));
        for (Receiver.Request request : List.of(firing, resolved)) {
            assertThat(request.header("webhook-signature")).isEqualTo(WebhookSigner.sign(secret, request.header("webhook-id"),
                    Long.parseLong(request.header("webhook-timestamp")), request.body()));
        }
        JsonNode body = Api.JSON.readTree(firing.body());
        assertThat(body.path("version").asText()).isEqualTo("1");
        assertThat(body.path("alert").path("summary").asText()).isEqualTo("cpu_percent on web-01 is 99 (> 90)");
        assertThat(body.path("server").path("tags").get(0).asText()).isEqualTo("prod");
        assertThat(body.path("hub_url").asText()).endsWith("/#/servers/" + fixture.serverId);

        JsonNode deliveries = api.as(operator, "GET", "/api/v1/notifications?state=sent", null).body();
        assertThat(deliveries.findValuesAsText("event")).containsExactlyInAnyOrder("alert.firing", "alert.resolved");
        assertThat(deliveries.findValues("attempts").stream().map(JsonNode::asInt)).containsExactlyInAnyOrder(2, 1);
    }

    @Test
    void a_burst_of_alerts_is_delivered_once_each() throws Exception {
        String id = channel("{\"name\":\"burst\",\"type\":\"webhook\",\"config\":{\"url\":\"" + receiver.url("/hook") + "\"}}")
                .path("id").asText();
        rule(id);
        int servers = 300;
        for (int i = 0; i < servers; i++) {
            String server = fixture.hub.servers().create("burst-" + i, List.of()).id();
            Metrics sample = new Metrics(1, Instant.now(), 5, new CpuUsage(99, List.of(99.0), 0.1, 0.1, 0.1), null, List.of(), List.of(),
                    10L, null, null);
            fixture.hub.metrics().storeAsync(server, sample);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (receiver.received.size() < servers && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(1_500); // a second send of anything would arrive by now

        assertThat(receiver.received).hasSize(servers);
        assertThat(receiver.received.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(servers);
    }

    @Test
    void a_receiver_that_refuses_fails_at_once_and_the_test_button_says_why() throws Exception {
        String id = channel("{\"name\":\"strict\",\"type\":\"webhook\",\"config\":{\"url\":\"" + receiver.url("/strict") + "\"}}")
                .path("id").asText();
        receiver.answer(400, null);
        Api.Response refused = api.as(operator, "POST", "/api/v1/notification-channels/" + id + "/test", null);
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.errorMessage()).isEqualTo("the receiver did not take it: HTTP 400: receiver says no (400)");
        assertThat(api.as(operator, "POST", "/api/v1/notification-channels/" + id + "/test", null).body().path("delivered").asBoolean())
                .isTrue();

        rule(id);
        receiver.answer(400, null);
        cpu(99);
        JsonNode failed = fixture.deliveries("state=failed&channel_id=" + id, row -> true);
        assertThat(failed.get(0).path("last_error").asText()).isEqualTo("HTTP 400: receiver says no (400)");
        assertThat(failed.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(api.as(operator, "GET", "/metrics", null).raw().body()).contains("chatops_alert_notifications_failed_total 1\n");
    }

    @Test
    void a_notification_for_a_receiver_that_is_down_is_sent_after_a_hub_restart_with_the_same_id() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String id = channel("{\"name\":\"later\",\"type\":\"webhook\",\"config\":{\"url\":\"http://127.0.0.1:" + port + "/hook\"}}")
                .path("id").asText();
        rule(id);
        cpu(99); // nobody listens: the first attempt fails and waits about 10 s
        JsonNode pending = fixture.deliveries("state=pending", row -> row.path("attempts").asInt() > 0);
        String webhookId = pending.get(0).path("id").asText();
        assertThat(pending.get(0).path("last_error").asText()).startsWith("ConnectException");

        try (Receiver back = new Receiver(port)) {
            fixture.restart();
            Receiver.Request delivered = back.await(r -> true, WAIT);
            assertThat(delivered.header("webhook-id")).isEqualTo(webhookId);
        }
    }

    @Test
    void slack_and_mattermost_get_their_own_formats_and_never_show_their_hook_again() throws Exception {
        JsonNode slack = channel("{\"name\":\"slack\",\"type\":\"slack\",\"config\":{\"webhook_url\":\"" + receiver.url("/services/T0/B0/XXXXsecret") + "\"}}");
        assertThat(api.as(operator, "GET", "/api/v1/notification-channels", null).body().get(0).path("config").path("webhook_url")
                .asText()).isEqualTo("http://127.0.0.1:" + receiver.port() + "/…cret");
        String mattermost = channel("{\"name\":\"mm\",\"type\":\"mattermost\",\"config\":{\"webhook_url\":\"" + receiver.url("/hooks/abc") + "\"}}")
                .path("id").asText();
        assertThat(api.as(operator, "POST", "/api/v1/alert-rules", """
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s","%s"]}"""
                .formatted(slack.path("id").asText(), mattermost)).status()).isEqualTo(201);

        cpu(99);

        JsonNode blocks = Api.JSON.readTree(receiver.await(r -> r.body().contains("blocks"), WAIT).body());
        assertThat(blocks.path("text").asText()).isEqualTo("Firing: cpu_percent on web-01 is 99 (> 90)");
        assertThat(blocks.path("blocks").get(0).path("text").path("text").asText()).contains("*Firing*");
        assertThat(blocks.path("blocks").findValues("type")).as("no buttons without the Slack integration").noneMatch(t -> t.asText().equals("actions"));
        JsonNode attachments = Api.JSON.readTree(receiver.await(r -> r.body().contains("attachments"), WAIT).body());
        assertThat(attachments.path("attachments").get(0).path("title").asText()).isEqualTo("Firing");
        assertThat(attachments.path("attachments").get(0).path("color").asText()).isEqualTo("#f0a202");
        assertThat(attachments.path("attachments").get(0).has("actions")).as("no buttons without the Mattermost integration").isFalse();
        assertThat(receiver.received).allMatch(r -> r.header("webhook-signature") == null);
    }
}
