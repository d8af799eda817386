package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container and offline rules driven by the real agent and real Docker containers: a container that
 * dies fires, one an operator stops through the hub does not; an agent that stops reporting fires
 * "offline" and resolves when it is back.
 */
class AlertsEndToEndTest {
    @TempDir
    Path dir;

    RealHub hub;
    HttpServer receiver;
    /** The webhook bodies, in the order they arrived. */
    final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = new RealHub(dir);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(RealHub.JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        receiver.stop(0);
        hub.close();
    }

    /** The first notice of {@code rule} with this event (and subject, unless null), waiting up to 90 s: offline rules wait out the hub's first minute. */
    JsonNode awaitNotice(String event, String rule, String subject) throws Exception {
        return eventually(event + " of " + rule + " at the webhook", () -> received.stream()
                .filter(n -> n.path("event").asText().equals(event) && n.path("alert").path("rule_name").asText().equals(rule)
                        && (subject == null || n.path("alert").path("subject").asText().equals(subject)))
                .findFirst().orElse(null), found -> found != null, Duration.ofSeconds(90));
    }

    @Test
    void a_dead_container_and_a_silent_agent_fire_and_an_operator_stop_does_not() throws Exception {
        JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"e2e-rules\"}", 201);
        String serverId = created.path("server").path("id").asText();
        String key = created.path("api_key").path("key").asText();
        Process agent = hub.startAgent(key);
        String channel = hub.call("POST", "/api/v1/notification-channels", hub.admin, "{\"name\":\"hook\",\"type\":\"webhook\","
                + "\"config\":{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}}", 201).path("id").asText();
        hub.call("POST", "/api/v1/alert-rules", hub.admin, """
                {"name":"Container down","severity":"critical","kind":"container","container":"e2e-alert-*","channel_ids":["%s"]}"""
                .formatted(channel), 201);
        hub.call("POST", "/api/v1/alert-rules", hub.admin, """
                {"name":"Server silent","kind":"offline","channel_ids":["%s"]}""".formatted(channel), 201);
        String dies = hub.startContainer("e2e-alert-dies");
        String stopped = hub.startContainer("e2e-alert-stopped");
        eventually("the agent reports both containers", () -> hub.call("GET", "/api/v1/servers/" + serverId + "/containers", hub.admin,
                null, 200).path("containers").toString(), list -> list.contains(dies) && list.contains(stopped));

        TestMachineTest.run(TestMachineTest.DOCKER, "kill", dies); // dies behind the hub's back
        hub.call("POST", "/api/v1/servers/" + serverId + "/containers/" + stopped + "/stop", hub.admin, null, 200);

        JsonNode died = awaitNotice("alert.firing", "Container down", dies);
        assertThat(died.path("alert").path("summary").asText()).isEqualTo("container " + dies + " on e2e-rules is not running or unhealthy");
        eventually("the agent reports the stopped container exited", () -> hub.call("GET", "/api/v1/servers/" + serverId + "/containers",
                hub.admin, null, 200).path("containers").toString(), list -> list.contains("\"name\":\"" + stopped + "\",")
                && !list.matches(".*\"name\":\"" + stopped + "\",[^}]*\"state\":\"running\".*"));
        Thread.sleep(3_000); // a report of the stopped container has been judged by now
        assertThat(hub.call("GET", "/api/v1/alerts?state=all", hub.admin, null, 200).findValuesAsText("subject"))
                .as("stopped by an operator through the hub: not an alert").containsExactly(dies);

        agent.destroyForcibly(); // the agent goes silent, as when its server loses power
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        JsonNode silent = awaitNotice("alert.firing", "Server silent", null); // after the hub's first minute, judged every 5 s
        assertThat(silent.path("alert").path("server_id").asText()).isEqualTo(serverId);

        hub.startAgent(key);
        awaitNotice("alert.resolved", "Server silent", null);
    }
}
