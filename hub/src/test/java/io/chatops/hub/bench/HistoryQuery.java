package io.chatops.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.metrics.ContainerLoad;
import io.chatops.hub.metrics.MetricsHistory;
import io.chatops.protocol.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Times the history API over {@code DAYS} days (30 by default) of one large server — 16 cores, 8
 * filesystems, 12 interfaces, 20 containers, a sample every 5 s — on the embedded SQLite, every
 * series in each answer: 30 d and 7 d (hour rollups), 24 h and 6 h (minute rollups), the same
 * 24 h at full detail, and the last hour (raw). Each query runs 30 times after the hub closed
 * every past hour into blocks; median and maximum are printed. Run with
 * {@code scripts/bench-hub history [DAYS]}.
 */
public final class HistoryQuery {
    static final int CORES = 16;
    static final int DISKS = 8;
    static final int INTERFACES = 12;
    static final int CONTAINERS = 20;
    static final int SAMPLES_A_DAY = 17_280;

    private HistoryQuery() {
    }

    public static void main(String[] args) throws Exception {
        int days = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path data = Files.createTempDirectory("chatops-history");
        Instant now = Instant.now();
        HubOptions options = HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", data.toString()}, Map.of());
        try (Hub hub = Hub.start(options, Map.of("CHATOPS_ADMIN_PASSWORD", "history benchmark password"), Clock.systemUTC())) {
            String serverId = hub.servers().create("history", List.of()).id();
            long start = System.nanoTime();
            Instant first = now.minus(Duration.ofDays(days));
            for (int day = 0; day < days; day++) {
                store(hub, serverId, day, first.plus(Duration.ofDays(day)));
            }
            System.out.printf("stored %d days of a server with %d cores, %d filesystems, %d interfaces, %d containers (%d samples) in %.1f s%n",
                    days, CORES, DISKS, INTERFACES, CONTAINERS, (long) days * SAMPLES_A_DAY, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            // The past hours close into blocks, as they would have over the days.
            while (hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_open WHERE ts < ?")
                    .bind(0, now.minus(Duration.ofHours(1)).toEpochMilli()).mapTo(Long.class).one()) > 0) {
                Thread.sleep(100);
            }
            hub.pruneNow();
            System.out.printf("closed and rolled up in %.1f s%n", (System.nanoTime() - start) / 1e9);

            String token = new io.chatops.hub.auth.TokenStore(hub.database().jdbi(), Clock.systemUTC()).create(
                    new io.chatops.hub.auth.UserStore(hub.database().jdbi(), Clock.systemUTC())
                            .byUsername("admin").orElseThrow().id(), "bench", null).token();
            HttpClient http = HttpClient.newHttpClient();
            List<String> queries = new ArrayList<>(List.of("24h", "24h raw", "6h", "1h"));
            if (days >= 7) {
                queries.addAll(0, List.of("30d", "7d"));
            }
            for (String query : queries) {
                String amount = query.split(" ")[0];
                long count = Long.parseLong(amount.substring(0, amount.length() - 1));
                Duration range = amount.endsWith("d") ? Duration.ofDays(Math.min(count, days)) : Duration.ofHours(count);
                URI uri = URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/servers/" + serverId + "/metrics?from="
                        + now.minus(range) + "&to=" + now + (query.endsWith("raw") ? "&resolution=raw" : ""));
                double[] millis = new double[30];
                double[] queryMillis = new double[30];
                double[] jsonMillis = new double[30];
                String body = "";
                MetricsHistory history = new MetricsHistory(hub.database().jdbi(), options.retention());
                ObjectMapper mapper = new ObjectMapper();
                for (int i = 0; i < millis.length; i++) {
                    long t = System.nanoTime();
                    body = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    millis[i] = (System.nanoTime() - t) / 1e6;
                    // The same answer in-process: reading and shaping it, then writing it as JSON (no HTTP, no client).
                    t = System.nanoTime();
                    Map<String, Object> answer = history.query(serverId, now.minus(range), now, resolutionOf(query));
                    queryMillis[i] = (System.nanoTime() - t) / 1e6;
                    t = System.nanoTime();
                    mapper.writeValueAsBytes(answer);
                    jsonMillis[i] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(millis);
                Arrays.sort(queryMillis);
                Arrays.sort(jsonMillis);
                JsonNode json = mapper.readTree(body);
                System.out.printf("history of %s: over HTTP median %.1f ms, max %.1f ms; in the hub: query %.1f ms + JSON %.1f ms (medians)"
                        + " (resolution %s, %d points, %d series, %d KiB)%n", query, millis[millis.length / 2], millis[millis.length - 1],
                        queryMillis[queryMillis.length / 2], jsonMillis[jsonMillis.length / 2], json.path("resolution").asText(),
                        json.path("timestamps").size(), series(json) - 1, body.length() / 1024);
            }
        }
        // The database (hundreds of megabytes) goes with the run.
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        System.exit(0);
    }

    /** The tier the hub's auto choice takes for each query of this benchmark. */
    private static MetricsHistory.Resolution resolutionOf(String query) {
        if (query.endsWith("raw") || query.equals("1h")) {
            return MetricsHistory.Resolution.RAW;
        }
        return query.endsWith("d") ? MetricsHistory.Resolution.HOUR : MetricsHistory.Resolution.MINUTE;
    }

    /** The arrays of numbers in an answer (the timestamps among them). */
    private static int series(JsonNode node) {
        if (node.isArray()) {
            return node.isEmpty() || !node.get(0).isArray() ? 1 : java.util.stream.StreamSupport.stream(node.spliterator(), false)
                    .mapToInt(HistoryQuery::series).sum();
        }
        int sum = 0;
        for (JsonNode child : node) {
            sum += series(child);
        }
        return sum;
    }

    /** One day of samples, as the agent would have sent them (with its containers' loads), written in batches as a busy hub would. */
    private static void store(Hub hub, String serverId, int day, Instant start) {
        List<Metrics> samples = SyntheticSamples.of(1000 + day, start, SAMPLES_A_DAY, CORES, DISKS, INTERFACES);
        List<List<ContainerLoad>> loads = SyntheticSamples.containerLoads(1000 + day, SAMPLES_A_DAY, CONTAINERS);
        List<CompletableFuture<Boolean>> pending = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Metrics sample = samples.get(i).withSeq((long) day * SAMPLES_A_DAY + i + 1);
            pending.add(hub.metrics().storeAsync(serverId, sample, loads.get(i)));
            if (pending.size() == 2_000) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
            }
        }
        pending.forEach(CompletableFuture::join);
    }
}
