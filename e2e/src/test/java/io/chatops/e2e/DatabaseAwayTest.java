package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The hub's PostgreSQL stopped the hard way for a minute while agents send a sample every second:
 * {@code /readyz} says so at once, API writes get a clear error, samples are held back with their
 * agents, the hub's threads and memory stay bounded and its log quiet; once the database is back the
 * same hub process goes on by itself and every sample is stored exactly once.
 */
class DatabaseAwayTest {
    private static final int AGENTS = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void postgresql_away_for_a_minute_holds_samples_back_and_loses_nothing() throws Exception {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (PrivatePostgres postgres = new PrivatePostgres();
                RealHub hub = new RealHub(dir, List.of(), List.of("--db-url", postgres.jdbcUrl()))) {
            Map<SimulatedAgent, String> agents = CrashLoop.enrol(hub, AGENTS, "pg", HttpClient.newHttpClient(), timers, pool);
            agents.keySet().forEach(SimulatedAgent::connect);
            List<ScheduledFuture<?>> sampling = agents.keySet().stream()
                    .<ScheduledFuture<?>>map(agent -> timers.scheduleAtFixedRate(agent::sample, 0, 1, TimeUnit.SECONDS)).toList();
            eventually("every agent's samples are acknowledged", () -> agents.keySet().stream().allMatch(a -> a.acked.size() >= 3),
                    done -> done);
            long threadsBefore = RealHub.procStatus(hub.hub, "Threads:");
            long rssBefore = RealHub.procStatus(hub.hub, "VmRSS:");
            long logBefore = Files.readAllLines(dir.resolve("hub.log")).size();

            postgres.stop();
            long stoppedAt = System.nanoTime();
            eventually("/readyz says the database is unreachable", () -> readyz(hub), r -> r.statusCode() == 503, Duration.ofSeconds(15));
            System.out.printf("PostgreSQL stopped: /readyz 503 after %.1f s%n", (System.nanoTime() - stoppedAt) / 1e9);
            HttpResponse<String> write = hub.send("POST", "/api/v1/servers", hub.admin, "{\"name\":\"while-away\"}", Duration.ofSeconds(45));
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            assertThat(RealHub.JSON.readTree(write.body()).path("error").path("code").asText()).isEqualTo("database_unavailable");
            long maxThreads = 0;
            long maxRss = 0;
            while (System.nanoTime() - stoppedAt < OUTAGE.toNanos()) {
                HttpResponse<String> ready = readyz(hub);
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(RealHub.JSON.readTree(ready.body()).path("status").asText()).isEqualTo("database unreachable");
                maxThreads = Math.max(maxThreads, RealHub.procStatus(hub.hub, "Threads:"));
                maxRss = Math.max(maxRss, RealHub.procStatus(hub.hub, "VmRSS:"));
                Thread.sleep(2_000);
            }
            assertThat(agents.keySet()).allSatisfy(agent -> assertThat(agent.unacked).as("kept by " + agent.name).isNotEmpty());
            List<String> logged = Files.readAllLines(dir.resolve("hub.log"));
            List<String> loggedAway = logged.subList((int) logBefore, logged.size());
            long logLines = loggedAway.size();

            postgres.start();
            long startedAt = System.nanoTime();
            eventually("/readyz is ready again", () -> readyz(hub), r -> r.statusCode() == 200, Duration.ofSeconds(30));
            eventually("every agent's samples are acknowledged", () -> agents.keySet().stream().allMatch(a -> a.unacked.isEmpty()),
                    done -> done, Duration.ofSeconds(90));
            System.out.printf("PostgreSQL back: every sample acknowledged %.1f s later; hub threads %d before, %d at most while away;"
                    + " RSS %d MiB before, %d at most; %d log lines in the minute away%n", (System.nanoTime() - startedAt) / 1e9,
                    threadsBefore, maxThreads, rssBefore / 1024, maxRss / 1024, logLines);
            // Sampling stops, then what is in flight is acknowledged, so that "every sample taken is stored" is not raced by
            // a sample on its way; stopping earlier would also stop the agents sending their oldest again (they do it on a tick).
            sampling.forEach(task -> task.cancel(false));
            eventually("the last samples are acknowledged", () -> agents.keySet().stream().allMatch(a -> a.unacked.isEmpty()),
                    done -> done);
            CrashLoop.Check check = CrashLoop.check(hub, agents, pool, true);
            System.out.printf("%d samples taken in the same millisecond as another of their agent's (a late timer catching up)%n",
                    agents.keySet().stream().mapToLong(agent -> agent.takenAt.size() - agent.takenAt.values().stream().distinct().count()).sum());
            assertThat(check.lostAcknowledged()).isZero();
            assertThat(check.duplicated()).isZero();
            assertThat(check.missing()).as("samples never stored").isZero();
            assertThat(hub.hub.isAlive()).as("the same hub process, not restarted").isTrue();
            assertThat(maxThreads - threadsBefore).as("threads the hub added while the database was away").isLessThan(50);
            assertThat(logLines).as("lines the hub logged in the minute away:%n%s", String.join("\n", loggedAway)).isLessThan(60);
        } finally {
            timers.shutdownNow();
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> readyz(RealHub hub) throws Exception {
        return hub.send("GET", "/readyz", null, null, Duration.ofSeconds(2));
    }
}
