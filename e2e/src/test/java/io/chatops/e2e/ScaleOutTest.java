package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/scale-out.md for real: two hub processes on one PostgreSQL behind HAProxy with the shipped
 * configuration, a packaged agent and simulated ones through the load balancer. The hub that holds
 * the real agent is killed with SIGKILL under load: its agents move to the survivor, a command in
 * flight through it is answered, commands and live views work through the survivor, and every
 * sample any agent saw acknowledged is stored exactly once.
 */
class ScaleOutTest {
    static final int SIMULATED = 60;
    static final Duration BACK_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    HubCluster cluster;
    Process agent;
    /** The simulated agents' reconnects and answers. */
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    final ScheduledExecutorService sampling = Executors.newScheduledThreadPool(1);
    final HttpClient http = HttpClient.newHttpClient();
    final List<SimulatedAgent> simulated = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = new HubCluster(dir, List.of("-Xmx256m"));
    }

    @AfterEach
    void stop() throws Exception {
        simulated.forEach(SimulatedAgent::stop);
        sampling.shutdownNow();
        timers.shutdownNow();
        if (agent != null) {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        cluster.close();
    }

    @Test
    void a_hub_killed_under_load_loses_no_acknowledged_sample_and_its_agents_and_users_carry_on_through_the_other() throws Exception {
        String[] real = cluster.enrol("real-agent");
        cluster.call(cluster.url(), "PATCH", "/api/v1/servers/" + real[0], "{\"metrics_interval_seconds\":1}", 200);
        agent = new ProcessBuilder(RealHub.AGENT.toAbsolutePath().toString(), "-api-url", cluster.url(), "-api-key", real[1],
                "-state-dir", dir.resolve("agent").toString(), "-interval", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        URI agents = URI.create(cluster.url().replace("http", "ws") + "/api/v1/agents/ws");
        Map<String, String> serverOf = new HashMap<>();
        for (int i = 0; i < SIMULATED; i++) {
            String[] server = cluster.enrol("sim-" + i);
            SimulatedAgent sim = new SimulatedAgent(server[1], "sim-" + i, agents, http, timers, latency -> { });
            serverOf.put(sim.name, server[0]);
            simulated.add(sim);
            sim.connect();
        }
        RealHub.eventually("every simulated agent is connected", () -> simulated.stream().allMatch(SimulatedAgent::authenticated));
        sampling.scheduleAtFixedRate(() -> simulated.forEach(SimulatedAgent::sample), 0, 200, TimeUnit.MILLISECONDS);
        RealHub.eventually("the real agent is online", () -> cluster.call(cluster.url(), "GET", "/api/v1/servers/" + real[0], null, 200),
                server -> server.path("status").asText().equals("online"));
        Thread.sleep(3_000); // load: 300 samples a second through the load balancer

        int doomed = cluster.holderOf(real[0]);
        int survivor = 1 - doomed;
        // A long command sent to the survivor, for the agent on the hub about to die.
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return cluster.send("POST", cluster.hubUrl(survivor) + "/api/v1/servers/" + real[0] + "/commands?wait=true",
                        cluster.admin, "{\"command\":\"sleep 120\",\"timeout_seconds\":120}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1_000);
        long killedAt = System.nanoTime();
        cluster.kill(doomed);

        HttpResponse<String> answered = inFlight.get(60, TimeUnit.SECONDS);
        System.out.printf("the command in flight through the killed hub was answered %d ms after the kill: %d%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), answered.statusCode());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(504);

        RealHub.eventually("every simulated agent is back", () -> simulated.stream().allMatch(SimulatedAgent::authenticated),
                ok -> ok, BACK_WITHIN);
        RealHub.eventually("the real agent is online again", () -> cluster.call(cluster.url(), "GET", "/api/v1/servers/" + real[0], null,
                200), server -> server.path("status").asText().equals("online"), BACK_WITHIN);
        System.out.printf("every agent back on the survivor %d ms after the kill%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

        JsonNode command = cluster.call(cluster.url(), "POST", "/api/v1/servers/" + real[0] + "/commands?wait=true",
                "{\"command\":\"echo survived\",\"timeout_seconds\":10}", 200);
        assertThat(command.path("stdout").asText()).isEqualTo("survived\n");
        assertThat(liveSample(real[0])).as("a live view through the load balancer").isTrue();

        sampling.shutdownNow(); // the agents stay connected and send what is not acknowledged yet
        RealHub.eventually("every sample is acknowledged", () -> simulated.stream().allMatch(sim -> sim.unacked.isEmpty()));
        try (Connection db = DriverManager.getConnection(cluster.dbUrl())) {
            for (SimulatedAgent sim : simulated) {
                var count = db.prepareStatement("SELECT (SELECT COUNT(*) FROM metrics_open WHERE server_id = ?)"
                        + " + (SELECT COALESCE(SUM(samples), 0) FROM metrics_blocks WHERE server_id = ?)");
                count.setString(1, serverOf.get(sim.name));
                count.setString(2, serverOf.get(sim.name));
                var rows = count.executeQuery();
                rows.next();
                assertThat(sim.acked).as("%s: every sample acknowledged", sim.name).hasSize((int) sim.lastSeq());
                assertThat(rows.getLong(1)).as("%s: every acknowledged sample stored once", sim.name).isEqualTo(sim.lastSeq());
            }
        }
    }

    /** Whether a browser-like client of the load balancer gets a live sample of the server within a few seconds. */
    private boolean liveSample(String serverId) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket live = http.newWebSocketBuilder().buildAsync(URI.create(cluster.url().replace("http", "ws") + "/api/v1/live?token="
                + cluster.admin), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            live.sendText("{\"type\":\"subscribe\",\"topics\":[\"server:" + serverId + ":metrics\"]}", true).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (received.stream().anyMatch(frame -> frame.contains("\"type\":\"metrics\"") && frame.contains(serverId))) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        } finally {
            live.abort();
        }
    }
}
