package io.chatops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A hub restarted under its fleet (scripts/bench-faults storm [AGENTS], 5 000 by default): the
 * hub jar on its SQLite, AGENTS simulated agents that retry as the real agent does (a random wait
 * up to 1 s, 2 s, 4 s … 60 s), a first connect wave of 1 000 new connections a second, samples
 * every 5 s, then a SIGKILL and a restart of the hub. Prints how long each wave took until every
 * agent was connected, and whether every sample was acknowledged in the end.
 */
final class RestartStorm {
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private RestartStorm() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args.length > 0 ? Integer.parseInt(args[0]) : 5_000);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the simulated agents' threads would keep a failed run alive
        }
        System.exit(0);
    }

    private static void run(int count) throws Exception {
        Path dir = Files.createTempDirectory("chatops-restart-storm");
        ScaleOutLoad.Latencies acks = new ScaleOutLoad.Latencies();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService sampling = Executors.newScheduledThreadPool(1);
        HttpClient sockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        try (RealHub hub = new RealHub(dir)) {
            System.out.printf("one hub on SQLite, %d simulated agents; logs in %s%n", count, dir);
            List<SimulatedAgent> agents = new ArrayList<>();
            ExecutorService enrol = Executors.newFixedThreadPool(8);
            URI uri = URI.create(hub.url().replace("http", "ws") + "/api/v1/agents/ws");
            for (JsonNode created : hub.enrol("storm", count, enrol)) {
                agents.add(new SimulatedAgent(created.path("api_key").path("key").asText(), created.path("server").path("name").asText(), uri,
                        sockets, timers, acks::add));
            }
            enrol.shutdown();

            long waveStart = System.nanoTime();
            for (SimulatedAgent agent : agents) {
                agent.connect();
                Thread.sleep(1); // 1 000 new connections a second
            }
            report("first connect wave", agents, waveStart, Map.of());
            for (SimulatedAgent agent : agents) {
                sampling.scheduleAtFixedRate(agent::sample, ThreadLocalRandom.current().nextLong(INTERVAL.toMillis()), INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            Thread.sleep(30_000);

            Map<SimulatedAgent, Integer> before = new HashMap<>();
            agents.forEach(agent -> before.put(agent, agent.handshakes.get()));
            long killedAt = System.nanoTime();
            hub.killAndRestartHub();
            System.out.printf("hub killed and started again: answering in %.1f s%n", (System.nanoTime() - killedAt) / 1e9);
            report("after SIGKILL and restart", agents, killedAt, before);

            sampling.shutdownNow(); // the agents stay connected and send what is not acknowledged yet
            long drainStart = System.nanoTime();
            while (agents.stream().anyMatch(agent -> !agent.unacked.isEmpty()) && System.nanoTime() - drainStart < 120_000_000_000L) {
                Thread.sleep(200);
            }
            long unacknowledged = agents.stream().mapToLong(agent -> agent.unacked.size()).sum();
            long sent = agents.stream().mapToLong(SimulatedAgent::lastSeq).sum();
            System.out.printf("samples: %d sent, %d never acknowledged%n", sent, unacknowledged);
        } finally {
            sampling.shutdownNow();
            timers.shutdownNow();
        }
    }

    /**
     * Waits up to two minutes for every agent to be connected anew (a handshake after {@code before}),
     * printing the time since {@code start} when they all are, or how many were not.
     */
    private static void report(String wave, List<SimulatedAgent> agents, long start, Map<SimulatedAgent, Integer> before)
            throws InterruptedException {
        long mostBackAt = 0; // when 99 % were
        while (System.nanoTime() - start < 120_000_000_000L) {
            long back = back(agents, before);
            if (mostBackAt == 0 && back >= agents.size() * 0.99) {
                mostBackAt = System.nanoTime();
            }
            if (back == agents.size()) {
                System.out.printf("%s: every agent connected %.1f s after it began (99 %% after %.1f s)%n", wave,
                        (System.nanoTime() - start) / 1e9, (mostBackAt - start) / 1e9);
                return;
            }
            Thread.sleep(100);
        }
        System.out.printf("%s: %d of %d agents not connected 120 s after it began%n", wave, agents.size() - back(agents, before),
                agents.size());
    }

    /** The agents connected with a handshake newer than {@code before}. */
    private static long back(List<SimulatedAgent> agents, Map<SimulatedAgent, Integer> before) {
        return agents.stream().filter(agent -> agent.authenticated() && agent.handshakes.get() > before.getOrDefault(agent, 0)).count();
    }
}
