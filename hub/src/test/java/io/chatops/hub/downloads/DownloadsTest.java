package io.chatops.hub.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub serves the agent it was built with, without sign-in. */
class DownloadsTest {
    @TempDir
    Path dataDir;

    @Test
    void the_agent_and_its_checksums_are_served_as_built() throws Exception {
        byte[] built = Files.readAllBytes(Path.of("../agent/target/chatops-agent"));
        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()},
                Map.of()), Map.of(), Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + hub.port() + "/downloads/";

            HttpResponse<byte[]> agent = http.send(HttpRequest.newBuilder(URI.create(base + "chatops-agent")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<String> sums = http.send(HttpRequest.newBuilder(URI.create(base + "SHA256SUMS")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<byte[]> tarball = http.send(HttpRequest.newBuilder(URI.create(base + "chatops-agent-linux-x64.tar.gz"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> deb = http.send(HttpRequest.newBuilder(URI.create(base + "chatops-agent.deb")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(agent.statusCode()).isEqualTo(200);
            assertThat(agent.body()).isEqualTo(built);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(built));
            assertThat(sums.body()).contains(sha + "  chatops-agent\n").contains("  chatops-agent-linux-x64.tar.gz\n");
            assertThat(tarball.statusCode()).isEqualTo(200);
            assertThat(tarball.body().length).isGreaterThan(10_000_000);
            assertThat(deb.statusCode()).isEqualTo(200);
            assertThat(deb.body()).isEqualTo(Files.readAllBytes(builtDeb()));
            assertThat(sums.body()).contains("  chatops-agent.deb\n");
        }
    }

    private static Path builtDeb() throws java.io.IOException {
        try (var debs = Files.newDirectoryStream(Path.of("../agent/target"), "chatops-agent_*_amd64.deb")) {
            return debs.iterator().next();
        }
    }
}
