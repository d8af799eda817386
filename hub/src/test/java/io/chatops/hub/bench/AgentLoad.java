package io.chatops.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a real hub: starts {@code hub/target/chatops-hub.jar} as its own process on loopback,
 * enrols N servers through the API, opens N simulated agents that authenticate and send a
 * realistic sample every 5 s, and prints the ingest-to-ack latency, lost and duplicated samples,
 * the hub's RSS, the command round trip and a 24 h history query. Run with
 * {@code scripts/bench-hub AGENTS MINUTES}.
 */
public final class AgentLoad {
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final MessageCodec CODEC = new MessageCodec();

    private AgentLoad() {
    }

    /** One simulated agent: its key, next sequence number and the samples waiting for their ack. */
    static final class Agent implements WebSocket.Listener {
        final String key;
        final int index;
        final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        final StringBuilder text = new StringBuilder();
        volatile WebSocket socket;
        volatile boolean authenticated;
        long seq;

        Agent(String key, int index) {
            this.key = key;
            this.index = index;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                try {
                    Message message = CODEC.decode(frame);
                    if (message instanceof MetricsAck ack) {
                        Long sent = sentAt.remove(ack.seq());
                        if (sent != null) {
                            LATENCIES.add(System.nanoTime() - sent);
                        } else {
                            DUPLICATE_ACKS.incrementAndGet();
                        }
                    } else if (message instanceof Command command) {
                        COMMANDS_RECEIVED.incrementAndGet();
                        // "sleep N" answers after N seconds, as a real shell would: what a running job holds can be measured.
                        long delay = command.command().startsWith("sleep ") ? Long.parseLong(command.command().substring(6).strip()) : 0;
                        ANSWERING.schedule(() -> answer(ws, command), delay, TimeUnit.SECONDS);
                    } else if (message instanceof io.chatops.protocol.AuthSuccess) {
                        authenticated = true;
                    }
                } catch (Exception e) {
                    ERRORS.incrementAndGet();
                }
            }
            ws.request(1);
            return null;
        }

        synchronized void answer(WebSocket ws, Command command) {
            ws.sendText(CODEC.encode(new CommandResponse(command.id(), 0, "hello\n", "", 1, false, false, null)), true).join();
        }

        synchronized void sendSample() {
            if (!authenticated) {
                return;
            }
            long next = ++seq;
            Metrics sample = sample(next, index);
            sentAt.put(next, System.nanoTime());
            SENT.incrementAndGet();
            socket.sendText(CODEC.encode(sample), true).join();
        }
    }

    static final Latencies LATENCIES = new Latencies();
    static final AtomicLong SENT = new AtomicLong();
    static final AtomicLong DUPLICATE_ACKS = new AtomicLong();
    static final AtomicLong ERRORS = new AtomicLong();
    static final AtomicLong COMMANDS_RECEIVED = new AtomicLong();
    static final ScheduledExecutorService ANSWERING = Executors.newScheduledThreadPool(2);

    /** Latencies in nanoseconds, kept for percentiles. */
    static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized double percentileMillis(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[Math.min(size - 1, (int) Math.ceil(p / 100 * size) - 1)] / 1e6;
        }

        synchronized int size() {
            return size;
        }

        synchronized void clear() {
            size = 0;
        }
    }

    static Metrics sample(long seq, int index) {
        double cpu = (seq * 7 + index) % 100;
        return new Metrics(seq, Instant.now(), 5, new CpuUsage(cpu, List.of(cpu, cpu, cpu, cpu), 0.4, 0.3, 0.2),
                new MemoryUsage(16_000_000_000L, 4_000_000_000L, 12_000_000_000L, 25.0, 2_000_000_000L, 0),
                List.of(new DiskUsage("/", "/dev/vda1", "ext4", 50_000_000_000L, 10_000_000_000L, 40_000_000_000L, 20.0),
                        new DiskUsage("/srv", "/dev/vdb1", "xfs", 500_000_000_000L, 100_000_000_000L, 400_000_000_000L, 20.0)),
                List.of(new InterfaceCounters("lo", seq * 100, seq * 100, seq, seq, 0, 0),
                        new InterfaceCounters("eth0", seq * 50_000, seq * 80_000, seq * 40, seq * 60, 0, 0)),
                seq * 5, null, null);
    }

    /**
     * Rules a team would have, none of which the simulated samples break: their cost is judging
     * every sample, not notifying. {@code %d} numbers each rule's name.
     */
    static final List<String> ALERT_RULES = List.of(
            "{\"name\":\"cpu %d\",\"kind\":\"metric\",\"metric\":\"cpu_percent\",\"op\":\">\",\"threshold\":99,\"for_seconds\":300}",
            "{\"name\":\"disk %d\",\"kind\":\"metric\",\"metric\":\"disk_percent\",\"op\":\">\",\"threshold\":90}",
            "{\"name\":\"memory %d\",\"kind\":\"metric\",\"metric\":\"memory_percent\",\"op\":\">=\",\"threshold\":95}",
            "{\"name\":\"load %d\",\"kind\":\"metric\",\"metric\":\"load_1_per_core\",\"op\":\">\",\"threshold\":4}",
            "{\"name\":\"net %d\",\"kind\":\"metric\",\"metric\":\"net_recv_bytes_per_second\",\"op\":\">\",\"threshold\":1e12}",
            "{\"name\":\"swap %d\",\"kind\":\"metric\",\"metric\":\"swap_percent\",\"op\":\">\",\"threshold\":50}",
            "{\"name\":\"offline %d\",\"kind\":\"offline\",\"for_seconds\":300}",
            "{\"name\":\"web %d\",\"kind\":\"container\",\"container\":\"web-*\"}");

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Duration measure = Duration.ofMinutes(args.length > 1 ? Long.parseLong(args[1]) : 2);
        Path jar = Path.of(args.length > 2 ? args[2] : "hub/target/chatops-hub.jar").toAbsolutePath();
        Path data = Files.createTempDirectory("chatops-load");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder hubBuilder = new ProcessBuilder(hubCommand(jar, port, data))
                .redirectErrorStream(true).redirectOutput(data.resolve("hub.log").toFile());
        hubBuilder.environment().put("CHATOPS_ADMIN_PASSWORD", "load test admin password");
        Process hub = hubBuilder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(hub::destroy));
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        String base = "http://127.0.0.1:" + port;
        waitReady(http, base);
        String admin = adminToken(http, base);

        int rules = Integer.parseInt(System.getenv().getOrDefault("BENCH_ALERT_RULES", "0"));
        for (int i = 0; i < rules; i++) {
            call(http, base, admin, "POST", "/api/v1/alert-rules", ALERT_RULES.get(i % ALERT_RULES.size()).formatted(i));
        }
        System.out.printf("alert rules: %d%n", rules);
        System.out.printf("enrolling %d servers…%n", agents);
        List<Agent> fleet = new ArrayList<>();
        List<String> serverIds = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            JsonNode created = call(http, base, admin, "POST", "/api/v1/servers", "{\"name\":\"load-" + i + "\"}");
            serverIds.add(created.path("server").path("id").asText());
            fleet.add(new Agent(created.path("api_key").path("key").asText(), i));
        }
        System.out.printf("connecting %d agents…%n", agents);
        AgentInfo info = new AgentInfo("1.0.0", "load", null, "Debian GNU/Linux 12", "6.1.0", "amd64", "load", 4,
                16_000_000_000L, null, null, List.of("metrics", "exec"));
        long connectStart = System.nanoTime();
        for (Agent agent : fleet) {
            agent.socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/agents/ws"), agent).join();
            synchronized (agent) {
                agent.socket.sendText(CODEC.encode(new Auth(agent.key, 1, info)), true).join();
            }
        }
        System.out.printf("connected in %.1f s%n", (System.nanoTime() - connectStart) / 1e9);

        ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);
        for (Agent agent : fleet) {
            // Spread the fleet over the interval, as real agents started at different times are.
            long offset = (long) (Math.random() * INTERVAL.toMillis());
            senders.scheduleAtFixedRate(() -> {
                try {
                    agent.sendSample();
                } catch (RuntimeException e) {
                    ERRORS.incrementAndGet();
                }
            }, offset, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        Thread.sleep(INTERVAL.toMillis() * 4); // warm-up
        LATENCIES.clear();
        long sentBefore = SENT.get();
        long rssMax = 0;
        long end = System.nanoTime() + measure.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(5_000);
            rssMax = Math.max(rssMax, rssKib(hub.pid()));
        }
        long sentMeasured = SENT.get() - sentBefore;

        List<Double> commandMillis = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            call(http, base, admin, "POST", "/api/v1/servers/" + serverIds.get(i % serverIds.size()) + "/commands?wait=true",
                    "{\"command\":\"echo hello\",\"timeout_seconds\":10}");
            commandMillis.add((System.nanoTime() - start) / 1e6);
        }
        commandMillis.sort(Double::compare);
        long historyStart = System.nanoTime();
        JsonNode history = call(http, base, admin, "GET", "/api/v1/servers/" + serverIds.get(0)
                + "/metrics?from=" + Instant.now().minus(Duration.ofHours(24)) + "&to=" + Instant.now(), null);
        double historyMillis = (System.nanoTime() - historyStart) / 1e6;

        // Fan-out: the same job five times over (the first one warms the hub up). BENCH_CHAT=0 leaves it out (for the largest fleets).
        boolean chat = !"0".equals(System.getenv("BENCH_CHAT"));
        List<Double> fanOutSeconds = new ArrayList<>();
        long heapBefore = 0;
        long heapRunning = 0;
        long heapAfter = 0;
        int jobs = 3;
        if (chat) {
            for (int i = 0; i < 5; i++) {
                fanOutSeconds.add(chatFanOut(http, base, admin, agents, "uptime"));
            }
            // What running jobs hold: the heap after a full GC while JOBS jobs of "sleep" run on every agent, against before;
            // and what finished ones keep (the hub remembers its recent jobs), once they are done.
            heapBefore = heapUsedAfterGcKib(hub.pid());
            long commandsBefore = COMMANDS_RECEIVED.get();
            List<java.util.concurrent.CompletableFuture<Double>> running = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                running.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return chatFanOut(http, base, admin, agents, "sleep 20");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            long startedBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (COMMANDS_RECEIVED.get() < commandsBefore + (long) jobs * agents) {
                if (System.nanoTime() > startedBy) {
                    throw new IllegalStateException("the jobs' commands did not all reach the agents within a minute");
                }
                Thread.sleep(50);
            }
            heapRunning = heapUsedAfterGcKib(hub.pid());
            running.forEach(java.util.concurrent.CompletableFuture::join);
            heapAfter = heapUsedAfterGcKib(hub.pid());
        }

        senders.shutdownNow();
        Thread.sleep(3_000); // the last acks
        long unacked = fleet.stream().mapToLong(a -> a.sentAt.size()).sum();
        String stored = metricsLine(http, base, admin, "chatops_hub_samples_stored_total");
        System.out.printf("agents: %d, measured %d s, samples sent %d (all run: %d)%n", agents, measure.toSeconds(), sentMeasured, SENT.get());
        System.out.printf("ingest-to-ack: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d acks%n", LATENCIES.percentileMillis(50),
                LATENCIES.percentileMillis(99), LATENCIES.percentileMillis(100), LATENCIES.size());
        System.out.printf("lost (never acknowledged): %d, duplicate acks: %d, client errors: %d, hub stored: %s%n",
                unacked, DUPLICATE_ACKS.get(), ERRORS.get(), stored);
        System.out.printf("hub RSS max: %.0f MiB while measured, %.0f MiB at the end (started as: %s)%n", rssMax / 1024.0,
                rssKib(hub.pid()) / 1024.0, String.join(" ", hubBuilder.command()));
        long writerNanos = threadCpuNanos(hub.pid(), "metrics-writer");
        System.out.printf("metrics writer thread: %.0f ms of CPU over the whole run, %.1f µs per stored sample%n",
                writerNanos / 1e6, writerNanos / 1e3 / Math.max(1, SENT.get()));
        long evaluatorNanos = threadCpuNanos(hub.pid(), "alert-evaluator");
        System.out.printf("alert evaluator thread: %.0f ms of CPU over the whole run, %.1f µs per stored sample%n",
                evaluatorNanos / 1e6, evaluatorNanos / 1e3 / Math.max(1, SENT.get()));
        System.out.printf("command round trip (REST -> agent -> REST): p50 %.1f ms, p90 %.1f ms%n",
                commandMillis.get(commandMillis.size() / 2), commandMillis.get(commandMillis.size() * 9 / 10));
        System.out.printf("24 h history of one server (%s, %d points): %.1f ms%n", history.path("resolution").asText(),
                history.path("timestamps").size(), historyMillis);
        if (chat) {
            System.out.printf("chat \"run all -- uptime\" on %d agents, five times: every row answered %s s after the message was posted%n",
                    agents, fanOutSeconds.stream().map(v -> String.format("%.2f", v)).collect(java.util.stream.Collectors.joining(", ")));
            System.out.printf("chat jobs on %d agents, heap after a full GC: %d KiB before, %d KiB while %d jobs run (%.0f KiB per running job),"
                    + " %d KiB once they finished (%.0f KiB kept per finished job)%n", agents, heapBefore, heapRunning, jobs,
                    (heapRunning - heapBefore) / (double) jobs, heapAfter, (heapAfter - heapBefore) / (double) jobs);
        }
        hub.destroy();
        hub.waitFor(10, TimeUnit.SECONDS);
        System.exit(0);
    }

    /**
     * How the hub is started: {@code BENCH_HUB_COMMAND}, blank-separated words (the package's
     * launcher, or {@code java -jar …} without flags as a user would type it), else the jar on this
     * JVM with a 768 MiB heap; then its port and data directory.
     */
    static List<String> hubCommand(Path jar, int port, Path data) {
        String given = System.getenv("BENCH_HUB_COMMAND");
        List<String> command = new ArrayList<>(given != null && !given.isBlank()
                ? List.of(given.trim().split("\\s+"))
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                        "-Xmx768m", "-jar", jar.toString()));
        command.addAll(List.of("--listen", "127.0.0.1:" + port, "--data-dir", data.toString()));
        return command;
    }

    /** The hub's used heap right after a full collection, from {@code jcmd}. */
    static long heapUsedAfterGcKib(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info said: " + out);
        }
        return Long.parseLong(used.group(1));
    }

    /** Posts {@code run all -- COMMAND} in the chat room (no approval for it) and waits until every row is in. */
    static double chatFanOut(HttpClient http, String base, String admin, int agents, String command) throws Exception {
        call(http, base, admin, "PUT", "/api/v1/chat/settings", "{\"approval_for_multi_server\":false,\"allow_commands\":[\"uptime\",\"sleep *\"]}");
        long start = System.nanoTime();
        String posted = call(http, base, admin, "POST", "/api/v1/chat/messages", "{\"text\":\"run all -- " + command + "\"}").path("id")
                .asText();
        String done = "done, " + agents + " succeeded";
        while (System.nanoTime() - start < Duration.ofSeconds(120).toNanos()) {
            JsonNode messages = call(http, base, admin, "GET", "/api/v1/chat/messages?limit=20", null);
            for (JsonNode message : messages) {
                if (message.path("reply_to").asText().equals(posted) && message.path("text").asText().contains(done)) {
                    return (System.nanoTime() - start) / 1e9;
                }
            }
            Thread.sleep(50);
        }
        return Double.NaN;
    }

    static void waitReady(HttpClient http, String base) throws Exception {
        for (int i = 0; i < 120; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the hub did not start");
    }

    static String adminToken(HttpClient http, String base) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"load test admin password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = JSON.readTree(login.body()).path("csrf_token").asText();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/tokens"))
                .header("Content-Type", "application/json").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"load\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(token.body()).path("token").asText();
    }

    static JsonNode call(HttpClient http, String base, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static String metricsLine(HttpClient http, String base, String token, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ")).findFirst().map(l -> l.substring(name.length() + 1)).orElse("?");
    }

    /** CPU time of the hub's thread named {@code name}, from its schedstat (nanoseconds on a CPU); 0 when there is none. */
    static long threadCpuNanos(long pid, String name) throws Exception {
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        return Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    }
                } catch (java.io.IOException e) {
                    // the thread ended while we looked
                }
            }
        }
        return 0;
    }

    static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
