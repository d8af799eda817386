package io.chatops.hub.bench;

import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Times the history API over a full day of one server's samples (17 280 at 5 s) on the embedded
 * SQLite: the 24 h chart (hour rollups), the same day at full detail with every series (per core,
 * per filesystem, per interface: 17 280 points read from the day's blocks), 6 h (minutes) and the
 * last hour (raw). Run with {@code scripts/bench-hub history}.
 */
public final class HistoryQuery {
    private HistoryQuery() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("chatops-history");
        Instant now = Instant.now();
        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", data.toString()}, Map.of()),
                Map.of("CHATOPS_ADMIN_PASSWORD", "history benchmark password"), Clock.systemUTC())) {
            String serverId = hub.servers().create("history", List.of()).id();
            int samples = (int) (Duration.ofHours(24).toSeconds() / 5);
            long start = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                Metrics sample = AgentLoad.sample(i + 1, 0).withTimestamp(now.minusSeconds(5L * (samples - i)));
                hub.metrics().store(serverId, sample);
            }
            System.out.printf("stored %d samples in %.1f s%n", samples, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            hub.rollUpNow();
            System.out.printf("rolled up in %.1f s%n", (System.nanoTime() - start) / 1e9);

            String token = new io.chatops.hub.auth.TokenStore(hub.database().jdbi(), Clock.systemUTC()).create(
                    new io.chatops.hub.auth.UserStore(hub.database().jdbi(), Clock.systemUTC())
                            .byUsername("admin").orElseThrow().id(), "bench", null).token();
            HttpClient http = HttpClient.newHttpClient();
            // The past hours close into blocks, as they would have over the day.
            while (hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_open WHERE ts < ?")
                    .bind(0, now.minus(Duration.ofHours(1)).toEpochMilli()).mapTo(Long.class).one()) > 0) {
                Thread.sleep(100);
            }
            for (String query : List.of("24h", "24h raw", "6h", "1h")) {
                Duration range = Duration.ofHours(Long.parseLong(query.substring(0, query.indexOf('h'))));
                URI uri = URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/servers/" + serverId + "/metrics?from="
                        + now.minus(range) + "&to=" + now + (query.endsWith("raw") ? "&resolution=raw" : ""));
                double[] millis = new double[30];
                String body = "";
                for (int i = 0; i < millis.length; i++) {
                    long t = System.nanoTime();
                    body = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    millis[i] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(millis);
                System.out.printf("history of %s: median %.1f ms, max %.1f ms (%s, %d bytes)%n", query,
                        millis[millis.length / 2], millis[millis.length - 1],
                        body.substring(body.indexOf("\"resolution\""), body.indexOf(',', body.indexOf("\"resolution\""))), body.length());
            }
        }
        System.exit(0);
    }
}
