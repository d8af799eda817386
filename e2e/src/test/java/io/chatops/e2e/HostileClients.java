package io.chatops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hostile clients beside a well-behaved fleet (scripts/bench-faults abuse [AGENTS] [SECONDS]): the
 * hub jar on SQLite, AGENTS (1 000) simulated agents sending a sample every 5 s, and one hostile
 * client at a time for SECONDS (60) each, between a quiet phase before and after. For each phase it
 * prints the agents' acknowledgement latency (p50, p99, and p99 against the quiet phase's), the hub's
 * largest RSS and thread count, how many agents lost their link, and what the hub did to the hostile
 * client; at the end, it checks that every sample of the fleet was acknowledged.
 */
final class HostileClients {
    static final Duration INTERVAL = Duration.ofSeconds(5);

    /** One phase's figures. */
    record Phase(String name, String acks, double p99Millis, long rssMaxKib, long threadsMax, int agentsReconnected, String outcome) {
    }

    /** Every phase, and how many samples the well-behaved agents sent (each one acknowledged in the end). */
    record Result(List<Phase> phases, long sent) {
        Phase phase(String nameStart) {
            return phases.stream().filter(phase -> phase.name().startsWith(nameStart)).findFirst().orElseThrow();
        }
    }

    private HostileClients() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args.length > 0 ? Integer.parseInt(args[0]) : 1_000, Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60));
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the simulated agents' threads would keep a failed run alive
        }
        System.exit(0);
    }

    static Result run(int count, Duration phaseLength) throws Exception {
        Path dir = Files.createTempDirectory("chatops-hostile");
        AtomicReference<ScaleOutLoad.Latencies> acks = new AtomicReference<>(new ScaleOutLoad.Latencies());
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService sampling = Executors.newScheduledThreadPool(1);
        HttpClient sockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        HttpClient hostileSockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
        List<Phase> phases = new ArrayList<>();
        try (RealHub hub = new RealHub(dir)) {
            System.out.printf("one hub on SQLite, %d simulated agents, %d s per phase; logs in %s%n", count, phaseLength.toSeconds(), dir);
            ExecutorService enrol = Executors.newFixedThreadPool(8);
            List<JsonNode> enrolled = hub.enrol("fleet", count + 2, enrol);
            enrol.shutdown();
            List<String> keys = enrolled.stream().map(created -> created.path("api_key").path("key").asText()).toList();
            List<String> serverIds = enrolled.stream().map(created -> created.path("server").path("id").asText()).toList();
            URI uri = URI.create(hub.url().replace("http", "ws") + "/api/v1/agents/ws");
            List<SimulatedAgent> agents = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SimulatedAgent agent = new SimulatedAgent(keys.get(i), "fleet-" + i, uri, sockets, timers, nanos -> acks.get().add(nanos));
                agents.add(agent);
                agent.connect();
                Thread.sleep(1);
            }
            RealHub.eventually("every agent connected", () -> agents.stream().filter(SimulatedAgent::authenticated).count(),
                    connected -> connected == count, Duration.ofSeconds(60));
            for (SimulatedAgent agent : agents) {
                sampling.scheduleAtFixedRate(agent::sample, ThreadLocalRandom.current().nextLong(INTERVAL.toMillis()), INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            Thread.sleep(INTERVAL.toMillis() * 2); // every agent sending, the hub warmed up

            List<HostileClient> hostiles = List.of(
                    new HostileClient.FrameFlooder(hostileSockets, uri, keys.get(count), 10_000),
                    new HostileClient.OversizedFrames(hostileSockets, uri, keys.get(count + 1)),
                    HostileClient.HeldConnections.slowloris(hub.port, 1_000),
                    HostileClient.HeldConnections.idle(hub.port, 10_000),
                    new HostileClient.LoginBruteForce(hub.url(), 50),
                    new HostileClient.SilentBrowser(hub.port, hub.admin, serverIds.subList(0, Math.min(200, serverIds.size()))));
            phases.add(phase("quiet", null, phaseLength, hub, agents, acks));
            for (HostileClient hostile : hostiles) {
                phases.add(phase(hostile.name(), hostile, phaseLength, hub, agents, acks));
            }
            phases.add(phase("quiet again", null, phaseLength, hub, agents, acks));
            print(phases);
            sampling.shutdownNow(); // the agents stay connected and send what is not acknowledged yet
            RealHub.eventually("every sample acknowledged", () -> agents.stream().mapToLong(agent -> agent.unacked.size()).sum(),
                    unacked -> unacked == 0, Duration.ofSeconds(60));
            long sent = agents.stream().mapToLong(SimulatedAgent::lastSeq).sum();
            System.out.printf("the fleet's samples: %d sent, every one acknowledged%n", sent);
            return new Result(phases, sent);
        } finally {
            sampling.shutdownNow();
            timers.shutdownNow();
        }
    }

    private static Phase phase(String name, HostileClient hostile, Duration length, RealHub hub, List<SimulatedAgent> agents,
            AtomicReference<ScaleOutLoad.Latencies> acks) throws Exception {
        System.out.printf("phase: %s%n", name);
        int handshakesBefore = agents.stream().mapToInt(agent -> agent.handshakes.get()).sum();
        ScaleOutLoad.Latencies latencies = new ScaleOutLoad.Latencies();
        acks.set(latencies);
        if (hostile != null) {
            hostile.start();
        }
        long rssMax = 0;
        long threadsMax = 0;
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            rssMax = Math.max(rssMax, RealHub.procStatus(hub.hub, "VmRSS:"));
            threadsMax = Math.max(threadsMax, RealHub.procStatus(hub.hub, "Threads:"));
            Thread.sleep(500);
        }
        acks.set(new ScaleOutLoad.Latencies()); // the phase's figures end here
        String outcome = hostile == null ? "" : hostile.stop();
        int reconnected = agents.stream().mapToInt(agent -> agent.handshakes.get()).sum() - handshakesBefore;
        Phase phase = new Phase(name, latencies.summary(), latencies.percentile(99), rssMax, threadsMax, reconnected, outcome);
        System.out.printf("  acks %s; hub RSS ≤ %d MiB, threads ≤ %d; agents reconnected: %d%n  %s%n", phase.acks(), rssMax / 1024,
                threadsMax, reconnected, outcome);
        Thread.sleep(INTERVAL.toMillis()); // what the hostile client left behind settles before the next phase
        return phase;
    }

    private static void print(List<Phase> phases) {
        double quiet = phases.get(0).p99Millis();
        System.out.println();
        System.out.println("| phase | ack p99 ms | × quiet | hub RSS max MiB | hub threads max | agents reconnected | the hostile client |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Phase phase : phases) {
            System.out.printf("| %s | %.1f | %.2f | %d | %d | %d | %s |%n", phase.name(), phase.p99Millis(), phase.p99Millis() / quiet,
                    phase.rssMaxKib() / 1024, phase.threadsMax(), phase.agentsReconnected(), phase.outcome());
        }
    }
}
