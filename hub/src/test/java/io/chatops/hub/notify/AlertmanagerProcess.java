package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) on 127.0.0.1, gossip
 * off, that sends every group to a webhook at once and again on each change, resolved ones too.
 */
final class AlertmanagerProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    AlertmanagerProcess(Path dir, String webhookUrl) throws Exception {
        port = freePort();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: hook
                  group_by: [alertname, instance]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(webhookUrl));
        Files.createDirectories(dir.resolve("am-data"));
        process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--storage.path=" + dir.resolve("am-data"), "--web.external-url=" + url())
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Alertmanager did not start: " + Files.readString(dir.resolve("alertmanager.log")));
            }
            Thread.sleep(50);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The alerts it holds, active and (with {@code active=false}) ended ones too. */
    JsonNode alerts() throws Exception {
        return Api.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts?active=true&silenced=true&inhibited=true"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
