package io.chatops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The hub killed with SIGKILL at random moments under a fleet of simulated agents, again and
 * again: after each restart every sample any agent saw acknowledged must be in the hub's history
 * exactly once; at the end, once the agents have replayed what was not acknowledged, every sample
 * sent must be there exactly once. The full run is {@code scripts/bench-faults crash} (2 000 agents,
 * 20 kills); {@link CrashLoopTest} runs a small one in CI.
 */
final class CrashLoop {
    static final Duration INTERVAL = Duration.ofSeconds(5);

    /** What the history showed: acknowledged samples missing, samples stored more than once, samples never stored. */
    record Check(long acknowledged, long lostAcknowledged, long duplicated, long missing) {
        Check plus(Check other) {
            return new Check(acknowledged + other.acknowledged, lostAcknowledged + other.lostAcknowledged, duplicated + other.duplicated,
                    missing + other.missing);
        }

        boolean clean() {
            return lostAcknowledged == 0 && duplicated == 0 && missing == 0;
        }
    }

    /** The run's outcome: every check after a restart, the final one, and how long each restart took. */
    record Outcome(List<Check> afterKills, Check end, long sent, List<Double> restartSeconds) {
        boolean clean() {
            return afterKills.stream().allMatch(Check::clean) && end.clean() && end.acknowledged() == sent;
        }
    }

    private CrashLoop() {
    }

    public static void main(String[] args) throws Exception {
        boolean isShort = args.length > 0 && args[0].equals("--short");
        int agents = isShort ? 200 : args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int kills = isShort ? 3 : args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int status = 1;
        try {
            status = run(agents, kills, Duration.ofSeconds(isShort ? 8 : 20)).clean() ? 0 : 1;
        } catch (Throwable e) {
            e.printStackTrace();
        }
        System.exit(status); // the simulated agents' threads would keep the run alive
    }

    /** Runs the loop; {@code maxUptime} is the longest the hub lives between two kills. */
    static Outcome run(int count, int kills, Duration maxUptime) throws Exception {
        Path dir = Files.createTempDirectory("chatops-crash-loop");
        Random random = new Random();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService sampling = Executors.newScheduledThreadPool(1);
        ExecutorService checking = Executors.newFixedThreadPool(8);
        HttpClient sockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        try (RealHub hub = new RealHub(dir)) {
            System.out.printf("one hub on SQLite, %d simulated agents, %d kills with SIGKILL; logs in %s%n", count, kills, dir);
            Map<SimulatedAgent, String> serverOf = enrol(hub, count, "crash", sockets, timers, checking);
            for (SimulatedAgent agent : serverOf.keySet()) {
                agent.connect();
                sampling.scheduleAtFixedRate(agent::sample, ThreadLocalRandom.current().nextLong(INTERVAL.toMillis()), INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            List<Check> afterKills = new ArrayList<>();
            List<Double> restartSeconds = new ArrayList<>();
            for (int kill = 1; kill <= kills; kill++) {
                long uptime = 500 + (long) (random.nextDouble() * (maxUptime.toMillis() - 500));
                Thread.sleep(uptime);
                long unackedAtKill = serverOf.keySet().stream().mapToLong(agent -> agent.unacked.size()).sum();
                long killedAt = System.nanoTime();
                hub.killAndRestartHub();
                restartSeconds.add((System.nanoTime() - killedAt) / 1e9);
                Check check = check(hub, serverOf, checking, false);
                afterKills.add(check);
                System.out.printf("kill %2d after %5.1f s up (%d samples unacknowledged at the kill): restarted in %.1f s; %s%n", kill,
                        uptime / 1e3, unackedAtKill, restartSeconds.get(restartSeconds.size() - 1), describe(check));
            }

            sampling.shutdownNow(); // the agents stay connected and send what is not acknowledged yet
            RealHub.eventually("every agent's samples are acknowledged", () -> serverOf.keySet().stream().allMatch(a -> a.unacked.isEmpty()),
                    done -> done, Duration.ofMinutes(3));
            Check end = check(hub, serverOf, checking, true);
            long sent = serverOf.keySet().stream().mapToLong(SimulatedAgent::lastSeq).sum();
            System.out.printf("end, after the agents replayed: %d samples sent; %s%n", sent, describe(end));
            double[] sorted = restartSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("restart after SIGKILL until /readyz answers: p50 %.1f s, max %.1f s%n", sorted[sorted.length / 2],
                    sorted[sorted.length - 1]);
            Outcome outcome = new Outcome(afterKills, end, sent, restartSeconds);
            System.out.println(outcome.clean() ? "PASS: nothing acknowledged was lost, nothing stored twice" : "FAIL");
            return outcome;
        } finally {
            sampling.shutdownNow();
            timers.shutdownNow();
            checking.shutdownNow();
        }
    }

    /** Enrols {@code count} servers named {@code prefix-N} and makes a simulated agent for each, not connected yet. */
    static Map<SimulatedAgent, String> enrol(RealHub hub, int count, String prefix, HttpClient sockets, ScheduledExecutorService timers,
            ExecutorService pool) {
        URI uri = URI.create(hub.url().replace("http", "ws") + "/api/v1/agents/ws");
        Map<SimulatedAgent, String> serverOf = new HashMap<>();
        for (JsonNode created : hub.enrol(prefix, count, pool)) {
            serverOf.put(new SimulatedAgent(created.path("api_key").path("key").asText(), created.path("server").path("name").asText(), uri,
                    sockets, timers, nanos -> { }), created.path("server").path("id").asText());
        }
        return serverOf;
    }

    /**
     * Reads every agent's samples from the hub's history at full detail: each acknowledged sample
     * must be there once, no sample twice; with {@code everySample}, each sample taken must be there.
     */
    static Check check(RealHub hub, Map<SimulatedAgent, String> serverOf, ExecutorService pool, boolean everySample) {
        List<CompletableFuture<Check>> checks = new ArrayList<>();
        serverOf.forEach((agent, serverId) -> checks.add(CompletableFuture.supplyAsync(() -> {
            try {
                return check(hub, agent, serverId, everySample);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the history of " + agent.name, e);
            }
        }, pool)));
        return checks.stream().map(CompletableFuture::join).reduce(new Check(0, 0, 0, 0), Check::plus);
    }

    private static Check check(RealHub hub, SimulatedAgent agent, String serverId, boolean everySample) throws Exception {
        Set<Long> acked = Set.copyOf(agent.acked);
        Map<Long, Long> takenAt = Map.copyOf(agent.takenAt);
        if (takenAt.isEmpty()) {
            return new Check(0, 0, 0, 0);
        }
        Instant from = Instant.ofEpochMilli(takenAt.values().stream().mapToLong(Long::longValue).min().orElseThrow()).minusSeconds(1);
        JsonNode history = hub.call("GET", "/api/v1/servers/" + serverId + "/metrics?resolution=raw&from="
                + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8) + "&to="
                + URLEncoder.encode(Instant.now().plusSeconds(60).toString(), StandardCharsets.UTF_8), hub.admin, null, 200);
        Map<Seen, Integer> stored = new HashMap<>();
        JsonNode timestamps = history.path("timestamps");
        for (int i = 0; i < timestamps.size(); i++) {
            JsonNode cpu = history.path("cpu_percent").path(i);
            if (!cpu.isNull()) { // a null is a gap, not a sample
                stored.merge(new Seen(Instant.parse(timestamps.path(i).asText()).toEpochMilli(), cpu.asLong()), 1, Integer::sum);
            }
        }
        long lostAcknowledged = acked.stream().filter(seq -> !stored.containsKey(Seen.of(seq, takenAt.get(seq)))).count();
        long duplicated = stored.values().stream().mapToLong(times -> times - 1).sum();
        if (duplicated > 0) {
            // Seen twice in a CI run of DatabaseAwayTest and not explained yet: what a recurrence needs to show.
            System.out.printf("%s: stored twice %s; samples taken (seq=ms) %s; the history's answer: %s%n", agent.name,
                    stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(), new TreeMap<>(takenAt), history);
        }
        long missing = everySample ? takenAt.entrySet().stream().filter(taken -> !stored.containsKey(Seen.of(taken.getKey(), taken.getValue())))
                .count() : 0;
        return new Check(acked.size(), lostAcknowledged, duplicated, missing);
    }

    /**
     * A sample as the history shows it: its time and its CPU figure, which a simulated agent sets to
     * its sequence number modulo 100. The time alone is not enough: a timer that runs late catches up
     * with samples taken back to back, several in one millisecond.
     */
    private record Seen(long millis, long cpu) {
        static Seen of(long seq, long millis) {
            return new Seen(millis, seq % 100);
        }
    }

    private static String describe(Check check) {
        return String.format("%d acknowledged, %d of them missing, %d stored twice%s", check.acknowledged(), check.lostAcknowledged(),
                check.duplicated(), check.missing() > 0 ? ", " + check.missing() + " never stored" : "");
    }
}
