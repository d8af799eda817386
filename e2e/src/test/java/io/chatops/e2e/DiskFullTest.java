package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's data directory on a small tmpfs that the test fills up while the real agent and
 * simulated ones send a sample every second: the hub stops acknowledging, {@code /readyz} says why,
 * a write through the API gets a clear error, the log does not flood, the agents keep their
 * samples; once space returns everything resumes by itself, with no gap in the history and no
 * sample lost or stored twice.
 */
class DiskFullTest {
    private static final int SIMULATED = 40;

    @TempDir
    Path dir;

    @Test
    void a_full_disk_holds_acknowledgements_back_says_why_and_loses_nothing_once_space_returns() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        TestMachineTest.run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", data.toString());
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (RealHub hub = new RealHub(dir)) {
            JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"real-agent\"}", 201);
            String realServer = created.path("server").path("id").asText();
            hub.call("PATCH", "/api/v1/servers/" + realServer, hub.admin, "{\"metrics_interval_seconds\":1}", 200);
            hub.startAgent(created.path("api_key").path("key").asText());
            Map<SimulatedAgent, String> simulated = CrashLoop.enrol(hub, SIMULATED, "disk", HttpClient.newHttpClient(), timers, pool);
            simulated.keySet().forEach(SimulatedAgent::connect);
            List<ScheduledFuture<?>> sampling = simulated.keySet().stream()
                    .<ScheduledFuture<?>>map(agent -> timers.scheduleAtFixedRate(agent::sample, 0, 1, TimeUnit.SECONDS)).toList();
            Instant from = Instant.now();
            eventually("the real agent's samples arrive every second", () -> samples(hub, realServer, from).path("timestamps").size() >= 5,
                    done -> done);

            fill(data.resolve("filler"));
            long filledAt = System.nanoTime();
            JsonNode ready = eventually("/readyz says samples cannot be stored", () -> readyz(hub), r -> r.path("code").asInt() == 503,
                    Duration.ofSeconds(90));
            assertThat(ready.path("body").path("status").asText()).startsWith("samples cannot be stored").contains("full");
            System.out.printf("disk full: /readyz 503 after %.1f s (%s)%n", (System.nanoTime() - filledAt) / 1e9, ready.path("body"));
            long logBefore = Files.readAllLines(dir.resolve("hub.log")).size();
            // Some writes still fit (SQLite reuses its log's space after a checkpoint); none may fail with a 500.
            HttpResponse<String> write = null;
            for (int i = 0; i < 100 && (write == null || write.statusCode() == 201); i++) {
                write = hub.send("POST", "/api/v1/servers", hub.admin, "{\"name\":\"during-the-outage-" + i + "\"}", RealHub.WAIT);
            }
            assertThat(write.statusCode()).as(write.body()).isEqualTo(507);
            assertThat(RealHub.JSON.readTree(write.body()).path("error").path("message").asText()).contains("disk is full");

            Thread.sleep(40_000); // long enough for every agent to send its oldest sample again, in vain
            assertThat(simulated.keySet()).allSatisfy(agent -> assertThat(agent.unacked).as("kept by " + agent.name).isNotEmpty());
            long logLines = Files.readAllLines(dir.resolve("hub.log")).size() - logBefore;
            assertThat(logLines).as("lines the hub logged in 40 s of a full disk under %d agents", SIMULATED + 1).isLessThan(40);

            Files.delete(data.resolve("filler"));
            long freedAt = System.nanoTime();
            eventually("/readyz is ready again", () -> readyz(hub).path("code").asInt() == 200, done -> done);
            eventually("every simulated agent's samples are acknowledged", () -> simulated.keySet().stream().allMatch(a -> a.unacked.isEmpty()),
                    done -> done, Duration.ofSeconds(90));
            System.out.printf("space freed: every simulated agent's samples acknowledged %.1f s later; %d lines logged in 40 s of a full"
                    + " disk%n", (System.nanoTime() - freedAt) / 1e9, logLines);
            // Sampling stops, then what is in flight is acknowledged, so that "every sample taken is stored" is not raced by
            // a sample on its way; stopping earlier would also stop the agents sending their oldest again (they do it on a tick).
            sampling.forEach(task -> task.cancel(false));
            eventually("the last samples are acknowledged", () -> simulated.keySet().stream().allMatch(a -> a.unacked.isEmpty()),
                    done -> done);
            CrashLoop.Check check = CrashLoop.check(hub, simulated, pool, true);
            assertThat(check.lostAcknowledged()).isZero();
            assertThat(check.duplicated()).isZero();
            assertThat(check.missing()).as("samples never stored").isZero();

            Instant recovered = Instant.now();
            eventually("the real agent's history has caught up", () -> Instant.parse(last(samples(hub, realServer, from))).isAfter(recovered),
                    done -> done, Duration.ofSeconds(60));
            JsonNode history = samples(hub, realServer, from);
            int gaps = 0;
            for (JsonNode cpu : history.path("cpu_percent")) {
                gaps += cpu.isNull() ? 1 : 0;
            }
            assertThat(gaps).as("gaps in the real agent's history at full detail: %s", history.path("timestamps")).isZero();
            assertThat(history.path("timestamps").size()).as("a sample a second").isGreaterThan(60);
        } finally {
            timers.shutdownNow();
            pool.shutdownNow();
            TestMachineTest.run("umount", "-l", data.toString());
        }
    }

    /** Writes zeros until the filesystem refuses more. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
    }

    private static JsonNode samples(RealHub hub, String serverId, Instant from) throws Exception {
        return hub.call("GET", "/api/v1/servers/" + serverId + "/metrics?resolution=raw&from="
                + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8), hub.admin, null, 200);
    }

    private static String last(JsonNode history) {
        JsonNode timestamps = history.path("timestamps");
        return timestamps.path(timestamps.size() - 1).asText();
    }

    private static JsonNode readyz(RealHub hub) throws Exception {
        HttpResponse<String> response = hub.send("GET", "/readyz", hub.admin, null, RealHub.WAIT);
        return RealHub.JSON.createObjectNode().put("code", response.statusCode()).set("body", RealHub.JSON.readTree(response.body()));
    }
}
