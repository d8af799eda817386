package io.chatops.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts reach a real Prometheus Alertmanager, which routes them to a webhook on loopback: they fire
 * there, stay active while they fire here (kept alive every minute), and end when they resolve.
 */
class AlertmanagerDeliveryTest {
    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock();
    FiringHub firing;
    Receiver routed;
    AlertmanagerProcess alertmanager;

    @BeforeEach
    void start() throws Exception {
        firing = new FiringHub(dataDir, clock);
        routed = new Receiver(0);
        alertmanager = new AlertmanagerProcess(dataDir, routed.url("/from-alertmanager"));
    }

    @AfterEach
    void stop() throws Exception {
        alertmanager.close();
        routed.close();
        firing.close();
    }

    @Test
    void an_alert_fires_in_alertmanager_stays_active_while_it_fires_and_ends_when_it_resolves() throws Exception {
        String id = firing.channel("{\"name\":\"am\",\"type\":\"alertmanager\",\"config\":{\"url\":\"" + alertmanager.url() + "\"}}")
                .path("id").asText();
        assertThat(firing.api.as(firing.operator, "POST", "/api/v1/notification-channels/" + id + "/test", null).status()).isEqualTo(200);
        assertThat(awaitAlerts(a -> a.size() == 1).get(0).path("labels").path("alertname").asText()).isEqualTo("ChatOpsTest");
        firing.rule(id);

        firing.cpu(99);

        JsonNode alert = awaitAlerts(a -> a.size() == 2).findParents("labels").stream()
                .filter(a -> a.path("labels").path("alertname").asText().equals("CPU busy")).findFirst().orElseThrow();
        assertThat(alert.path("labels").path("instance").asText()).isEqualTo("web-01");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("labels").path("source").asText()).isEqualTo("chatops-hub");
        assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("cpu_percent on web-01 is 99 (> 90)");
        assertThat(alert.path("generatorURL").asText()).endsWith("/#/servers/" + firing.serverId);
        Instant endsAt = Instant.parse(alert.path("endsAt").asText());
        assertThat(endsAt).isCloseTo(clock.instant().plus(Alertmanager.ACTIVE_FOR), within(5, ChronoUnit.SECONDS));
        assertThat(routed.await(r -> r.body().contains("\"alertname\":\"CPU busy\"") && r.body().contains("\"status\":\"firing\""),
                FiringHub.WAIT)).isNotNull();

        for (int minute = 1; minute <= 2; minute++) {
            clock.advance(Duration.ofSeconds(61));
            firing.hub.services().alerts().checkOffline();
            Instant before = endsAt;
            endsAt = Instant.parse(awaitAlerts(a -> a.findValuesAsText("endsAt").stream().map(Instant::parse).anyMatch(e -> e.isAfter(before)))
                    .findParents("labels").stream().filter(a -> a.path("labels").path("alertname").asText().equals("CPU busy"))
                    .findFirst().orElseThrow().path("endsAt").asText());
            assertThat(endsAt).as("kept alive in minute %d", minute).isCloseTo(clock.instant().plus(Alertmanager.ACTIVE_FOR),
                    within(5, ChronoUnit.SECONDS));
        }
        JsonNode deliveries = firing.api.as(firing.operator, "GET", "/api/v1/notifications?channel_id=" + id, null).body();
        assertThat(deliveries.findValuesAsText("event")).as("one keep-alive kept, not one per minute")
                .containsExactlyInAnyOrder("alert.firing", "alert.refresh");

        firing.cpu(20);

        assertThat(routed.await(r -> r.body().contains("\"alertname\":\"CPU busy\"") && r.body().contains("\"status\":\"resolved\""),
                FiringHub.WAIT)).isNotNull();
        assertThat(awaitAlerts(a -> a.findValuesAsText("alertname").stream().noneMatch("CPU busy"::equals)).toString())
                .as("no longer active in Alertmanager").doesNotContain("CPU busy");
    }

    /** Alertmanager's active alerts once {@code until} holds of them. */
    private JsonNode awaitAlerts(Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + FiringHub.WAIT.toNanos();
        JsonNode alerts = alertmanager.alerts();
        while (!until.test(alerts) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            alerts = alertmanager.alerts();
        }
        assertThat(until.test(alerts)).as("Alertmanager holds %s", alerts).isTrue();
        return alerts;
    }
}
