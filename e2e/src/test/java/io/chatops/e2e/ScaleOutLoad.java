package io.chatops.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scale-out benchmark (scripts/bench-scale-out AGENTS MINUTES): two hub processes on one
 * PostgreSQL behind HAProxy (the shipped configuration; one HAProxy per 4 500 agents, the file
 * descriptors one process may hold here), AGENTS simulated agents through them sending a sample
 * every 5 s. Prints the ingest-to-ack latency, a command's round trip when it crosses instances
 * beside one that does not, and what a SIGKILL of one hub under that load costs: how soon every
 * agent is back, what happened to commands in flight, and lost or duplicated samples.
 */
public final class ScaleOutLoad {
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final int AGENTS_PER_BALANCER = 4_500;

    private ScaleOutLoad() {
    }

    /** Latencies in nanoseconds, for percentiles. */
    static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized String summary() {
            if (size == 0) {
                return "none";
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%d)", at(sorted, 50), at(sorted, 95), at(sorted, 99),
                    sorted[size - 1] / 1e6, size);
        }

        /** The {@code p}th percentile in milliseconds; 0 with none. */
        synchronized double percentile(double p) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return at(sorted, p);
        }

        private double at(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
        }

        synchronized void clear() {
            size = 0;
        }
    }

    /** Commands timed each way: enough that the p99 is not the third-worst of a few hundred. */
    private static final int COMMANDS = 1_000;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the simulated agents' threads would keep a failed run alive
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Duration measure = Duration.ofMinutes(args.length > 1 ? Long.parseLong(args[1]) : 2);
        Path dir = Files.createTempDirectory("chatops-scale-out");
        int balancers = (count + AGENTS_PER_BALANCER - 1) / AGENTS_PER_BALANCER;
        Latencies acks = new Latencies();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2); // the agents' reconnects and answers
        ScheduledExecutorService sampling = Executors.newScheduledThreadPool(1);
        HttpClient sockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        try (HubCluster cluster = new HubCluster(dir, hubJvmOptions(), balancers)) {
            System.out.printf("two hubs on PostgreSQL behind %d HAProxy, %d simulated agents; logs in %s%n", balancers, count, dir);
            List<SimulatedAgent> agents = new ArrayList<>();
            Map<SimulatedAgent, String> serverOf = new HashMap<>();
            ExecutorService enrol = Executors.newFixedThreadPool(8);
            List<CompletableFuture<String[]>> enrolled = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = "load-" + i;
                enrolled.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return cluster.enrol(name);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, enrol));
            }
            for (int i = 0; i < count; i++) {
                String[] server = enrolled.get(i).join();
                URI uri = URI.create(cluster.url(i % balancers).replace("http", "ws") + "/api/v1/agents/ws");
                SimulatedAgent agent = new SimulatedAgent(server[1], "load-" + i, uri, sockets, timers, acks::add);
                agents.add(agent);
                serverOf.put(agent, server[0]);
            }
            enrol.shutdown();
            long connectStart = System.nanoTime();
            for (SimulatedAgent agent : agents) {
                agent.connect();
                Thread.sleep(4); // 250 new connections a second
            }
            long[] lastReport = {System.nanoTime()};
            waitUntil("every agent is connected", Duration.ofMinutes(5), () -> {
                long connected = agents.stream().filter(SimulatedAgent::authenticated).count();
                if (System.nanoTime() - lastReport[0] > 10_000_000_000L) {
                    System.out.printf("  %d of %d connected%n", connected, count);
                    lastReport[0] = System.nanoTime();
                }
                return connected == count;
            });
            System.out.printf("connected: %d agents in %.1f s%n", count, (System.nanoTime() - connectStart) / 1e9);
            for (SimulatedAgent agent : agents) {
                long phase = ThreadLocalRandom.current().nextLong(INTERVAL.toMillis());
                sampling.scheduleAtFixedRate(agent::sample, phase, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
            Thread.sleep(30_000); // warm-up
            acks.clear();
            Thread.sleep(measure.toMillis());
            System.out.printf("ingest to ack over %d min, %d samples/s: %s%n", measure.toMinutes(), count / INTERVAL.toSeconds(), acks.summary());
            System.out.printf("hub RSS: %s MiB and %s MiB%n", rssMiB(cluster.hubs[0]), rssMiB(cluster.hubs[1]));

            Map<Integer, List<String>> held = holders(cluster, serverOf.values());
            Latencies crossing = new Latencies();
            Latencies local = new Latencies();
            List<String> onFirst = held.getOrDefault(0, List.of());
            for (int i = 0; i < COMMANDS && i < onFirst.size(); i++) {
                String server = onFirst.get(i);
                command(cluster, cluster.hubUrl(1), server, "uptime", crossing); // through the other instance
                command(cluster, cluster.hubUrl(0), server, "uptime", local); // to the instance that holds the agent
            }
            System.out.printf("command round trip, agent on hub A, sent to hub B: %s%n", crossing.summary());
            System.out.printf("command round trip, agent on hub A, sent to hub A: %s%n", local.summary());

            // SIGKILL of hub A under load, with commands in flight through hub B for its agents.
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20 && i < onFirst.size(); i++) {
                String server = onFirst.get(i);
                inFlight.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return cluster.send("POST", cluster.hubUrl(1) + "/api/v1/servers/" + server + "/commands?wait=true", cluster.admin,
                                "{\"command\":\"sleep 120\",\"timeout_seconds\":120}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            Thread.sleep(2_000);
            Map<SimulatedAgent, Integer> handshakesBefore = new HashMap<>();
            agents.forEach(agent -> handshakesBefore.put(agent, agent.handshakes.get()));
            acks.clear();
            long killedAt = System.nanoTime();
            cluster.kill(0);
            List<String> moving = onFirst;
            waitUntil("every agent of the killed hub is back", Duration.ofMinutes(3), () -> agents.stream().allMatch(agent ->
                    agent.authenticated() && (!moving.contains(serverOf.get(agent)) || agent.handshakes.get() > handshakesBefore.get(agent))));
            System.out.printf("SIGKILL of hub A (%d agents): every agent back on hub B %.1f s after the kill%n", moving.size(),
                    (System.nanoTime() - killedAt) / 1e9);
            AtomicInteger answered = new AtomicInteger();
            Map<Integer, Integer> statuses = new HashMap<>();
            for (CompletableFuture<HttpResponse<String>> call : inFlight) {
                try {
                    HttpResponse<String> response = call.get(2, TimeUnit.MINUTES);
                    answered.incrementAndGet();
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                } catch (Exception e) {
                    statuses.merge(-1, 1, Integer::sum);
                }
            }
            System.out.printf("commands in flight through hub A: %d of %d answered, by status %s%n", answered.get(), inFlight.size(), statuses);
            Thread.sleep(30_000);
            System.out.printf("ingest to ack from the kill on, survivor alone: %s%n", acks.summary());
            System.out.printf("hub B RSS: %s MiB%n", rssMiB(cluster.hubs[1]));

            sampling.shutdownNow(); // the agents stay connected and send what is not acknowledged yet
            waitUntil("every sample is acknowledged", Duration.ofMinutes(3), () -> agents.stream().allMatch(agent -> agent.unacked.isEmpty()));
            Map<String, Long> stored = stored(cluster);
            long sent = 0;
            long lost = 0;
            long duplicated = 0;
            for (SimulatedAgent agent : agents) {
                long last = agent.lastSeq();
                long kept = stored.getOrDefault(serverOf.get(agent), 0L);
                sent += last;
                lost += Math.max(0, last - kept);
                duplicated += Math.max(0, kept - last);
            }
            System.out.printf("samples: %d sent and acknowledged, %d lost, %d duplicated%n", sent, lost, duplicated);
        } finally {
            sampling.shutdownNow();
            timers.shutdownNow();
        }
    }

    /** The hubs' JVM options: {@code CHATOPS_HUB_JAVA_OPTS} (blank-separated), by default a 1 GiB heap. */
    private static List<String> hubJvmOptions() {
        String options = System.getenv("CHATOPS_HUB_JAVA_OPTS");
        return options == null || options.isBlank() ? List.of("-Xmx1g") : List.of(options.strip().split("\\s+"));
    }

    private static void command(HubCluster cluster, String hub, String server, String command, Latencies latencies) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = cluster.send("POST", hub + "/api/v1/servers/" + server + "/commands?wait=true", cluster.admin,
                "{\"command\":\"" + command + "\",\"timeout_seconds\":10}");
        if (response.statusCode() == 200) {
            latencies.add(System.nanoTime() - start);
        } else {
            System.out.printf("command to %s failed: %d %s%n", server, response.statusCode(), response.body());
        }
    }

    /** The servers each hub (0, 1) holds now. */
    private static Map<Integer, List<String>> holders(HubCluster cluster, java.util.Collection<String> servers) throws Exception {
        Map<Integer, List<String>> held = new HashMap<>();
        Map<String, Integer> hubOfInstance = new HashMap<>();
        try (Connection db = DriverManager.getConnection(cluster.dbUrl());
                ResultSet rows = db.createStatement().executeQuery("SELECT server_id, instance_id FROM agent_leases")) {
            while (rows.next()) {
                String instance = rows.getString(2);
                Integer hub = hubOfInstance.get(instance);
                if (hub == null) {
                    hub = cluster.hubOf(instance);
                    hubOfInstance.put(instance, hub);
                }
                if (servers.contains(rows.getString(1))) {
                    held.computeIfAbsent(hub, h -> new ArrayList<>()).add(rows.getString(1));
                }
            }
        }
        System.out.printf("agents per hub: A %d, B %d%n", held.getOrDefault(0, List.of()).size(), held.getOrDefault(1, List.of()).size());
        return held;
    }

    /** Samples stored per server, open rows and closed blocks together. */
    private static Map<String, Long> stored(HubCluster cluster) throws Exception {
        Map<String, Long> stored = new HashMap<>();
        try (Connection db = DriverManager.getConnection(cluster.dbUrl())) {
            try (ResultSet rows = db.createStatement().executeQuery("SELECT server_id, COUNT(*) FROM metrics_open GROUP BY server_id")) {
                while (rows.next()) {
                    stored.merge(rows.getString(1), rows.getLong(2), Long::sum);
                }
            }
            try (ResultSet rows = db.createStatement().executeQuery("SELECT server_id, SUM(samples) FROM metrics_blocks GROUP BY server_id")) {
                while (rows.next()) {
                    stored.merge(rows.getString(1), rows.getLong(2), Long::sum);
                }
            }
        }
        return stored;
    }

    private static String rssMiB(Process process) {
        try {
            return String.valueOf(RealHub.procStatus(process, "VmRSS:") / 1024);
        } catch (Exception | AssertionError e) {
            return "?";
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(String what, Duration limit, Condition condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + limit + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
