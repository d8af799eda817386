package io.chatops.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiDocsTest {
    @TempDir
    Path dataDir;

    @Test
    void the_openapi_document_describes_every_route_the_hub_serves_and_swagger_ui_shows_it() throws Exception {
        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()},
                Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"), Clock.systemUTC())) {
            Api api = new Api(hub.port());
            Api.Response document = api.call("GET", "/api/v1/openapi.json", null);
            assertThat(document.status()).isEqualTo(200);
            assertThat(document.body().path("openapi").asText()).startsWith("3.");

            List<String> documented = new ArrayList<>();
            document.body().path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
            List<String> served = hub.routes().stream()
                    .filter(route -> !route.startsWith("HEAD ") && !route.startsWith("BEFORE") && !route.startsWith("AFTER"))
                    .toList();
            assertThat(documented).containsExactlyInAnyOrderElementsOf(served);

            JsonNode login = document.body().path("paths").path("/api/v1/auth/login").path("post");
            assertThat(login.path("security").isArray() && login.path("security").isEmpty()).as("login is public").isTrue();
            assertThat(api.call("GET", "/api/docs", null).raw().body()).contains("SwaggerUIBundle", "/api/v1/openapi.json");
            assertThat(api.call("GET", "/api/docs/swagger-ui-bundle.js", null).status()).isEqualTo(200);
        }
    }
}
