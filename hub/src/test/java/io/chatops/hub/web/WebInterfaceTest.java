package io.chatops.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web interface is served at the root, with headers that keep it from being framed or injected. */
class WebInterfaceTest {
    @TempDir
    Path dataDir;

    @Test
    void the_page_and_its_assets_are_served_without_sign_in_and_with_a_strict_policy() throws Exception {
        try (Hub hub = TestHubs.start(dataDir, Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + hub.port();

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("<div id=\"root\">");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("script-src 'self'").contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            Matcher script = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(page.body());
            assertThat(script.find()).as("index.html names its script").isTrue();
            HttpResponse<String> asset = http.send(HttpRequest.newBuilder(URI.create(base + "/" + script.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(asset.statusCode()).isEqualTo(200);
            assertThat(asset.headers().firstValue("Content-Type").orElse("")).contains("javascript");

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nothing-here.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }
}
