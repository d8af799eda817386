package io.chatops.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.TokenStore;
import io.chatops.hub.auth.UserStore;
import io.chatops.protocol.AuthSuccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API of the real hub on port 0: who may call what, and how bad requests are answered. */
class RestApiTest {
    static final String ADMIN_PASSWORD = TestHubs.ADMIN_PASSWORD;

    @TempDir
    Path dataDir;

    Hub hub;
    Api api;
    String viewer;
    String operator;
    String admin;
    String serverId;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        viewer = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        admin = new TokenStore(hub.database().jdbi(), Clock.systemUTC()).create(
                new UserStore(hub.database().jdbi(), Clock.systemUTC()).byUsername("admin").orElseThrow().id(), "t", null).token();
        serverId = hub.servers().create("web-01", java.util.List.of()).id();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** Every route, its least role, and a body that is valid enough to get past authorisation. */
    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            GET    | /api/v1/auth/me                  | viewer   |
            POST   | /api/v1/auth/logout              | viewer   |
            POST   | /api/v1/auth/password            | viewer   | `{"current_password":"x","new_password":"yyyyyyyyyyyy"}`
            POST   | /api/v1/auth/tokens              | viewer   | `{"name":"ci"}`
            GET    | /api/v1/auth/tokens              | viewer   |
            DELETE | /api/v1/auth/tokens/nope         | viewer   |
            GET    | /api/v1/users                    | admin    |
            POST   | /api/v1/users                    | admin    | `{"username":"new","password":"long enough pw","role":"viewer"}`
            PATCH  | /api/v1/users/nope               | admin    | `{}`
            DELETE | /api/v1/users/nope               | admin    |
            GET    | /api/v1/servers                  | viewer   |
            POST   | /api/v1/servers                  | admin    | `{"name":"db-02"}`
            GET    | /api/v1/servers/SERVER           | viewer   |
            PATCH  | /api/v1/servers/SERVER           | admin    | `{"tags":["x"]}`
            GET    | /api/v1/servers/SERVER/api-keys  | admin    |
            POST   | /api/v1/servers/SERVER/api-keys  | admin    | `{"name":"k"}`
            DELETE | /api/v1/api-keys/nope            | admin    |
            GET    | /api/v1/audit                    | admin    |
            GET    | /api/v1/servers/SERVER/metrics/latest        | viewer   |
            GET    | /api/v1/servers/SERVER/metrics               | viewer   |
            POST   | /api/v1/servers/SERVER/commands  | operator | `{"command":"uptime"}`
            GET    | /api/v1/servers/SERVER/commands  | viewer   |
            GET    | /api/v1/commands/nope            | viewer   |
            POST   | /api/v1/commands/nope/cancel     | operator |
            GET    | /api/v1/servers/SERVER/containers            | viewer   |
            GET    | /api/v1/servers/SERVER/containers/nginx      | viewer   |
            GET    | /api/v1/servers/SERVER/containers/nginx/logs | viewer   |
            POST   | /api/v1/servers/SERVER/containers/nginx/start   | operator |
            POST   | /api/v1/servers/SERVER/containers/nginx/stop    | operator |
            POST   | /api/v1/servers/SERVER/containers/nginx/restart | operator |
            GET    | /api/v1/alert-rules              | viewer   |
            POST   | /api/v1/alert-rules              | operator | `{"name":"down","kind":"offline"}`
            GET    | /api/v1/alert-rules/nope         | viewer   |
            POST   | /api/v1/alert-rules/preview      | viewer   | `{"kind":"offline"}`
            PATCH  | /api/v1/alert-rules/nope         | operator | `{}`
            DELETE | /api/v1/alert-rules/nope         | operator |
            GET    | /api/v1/alerts                   | viewer   |
            POST   | /api/v1/alerts/nope/ack          | operator | `{}`
            GET    | /api/v1/notification-channels    | viewer   |
            POST   | /api/v1/notification-channels    | operator | `{"name":"hook","type":"webhook","config":{"url":"http://127.0.0.1:9/x"}}`
            GET    | /api/v1/notification-channels/nope      | viewer   |
            PATCH  | /api/v1/notification-channels/nope      | operator | `{}`
            DELETE | /api/v1/notification-channels/nope      | operator |
            POST   | /api/v1/notification-channels/nope/test | operator |
            GET    | /api/v1/notifications            | viewer   |
            GET    | /api/v1/silences                 | viewer   |
            POST   | /api/v1/silences                 | operator | `{"until":"2099-01-01T00:00:00Z","reason":"r"}`
            DELETE | /api/v1/silences/nope            | operator |
            DELETE | /api/v1/servers/SERVER           | admin    |
            """)
    void every_route_checks_the_caller_and_the_role(String method, String path, String least, String body) throws Exception {
        String route = path.replace("SERVER", serverId);
        assertThat(api.call(method, route, body).status()).as("without credentials").isEqualTo(401);
        assertThat(api.call(method, route, body, "Authorization", "Bearer cot_forged").status()).as("forged token").isEqualTo(401);
        Role needed = Role.parse(least);
        for (Role role : Role.values()) {
            String token = role == Role.VIEWER ? viewer : role == Role.OPERATOR ? operator : admin;
            Api.Response response = api.as(token, method, route, body);
            if (role.includes(needed)) {
                assertThat(response.status()).as("%s as %s: %s", route, role, response.body()).isNotIn(401, 403);
            } else {
                assertThat(response.status()).as("%s as %s", route, role).isEqualTo(403);
                assertThat(response.errorCode()).isEqualTo("forbidden");
            }
        }
    }

    @Test
    void a_browser_session_needs_its_csrf_token_for_changes() throws Exception {
        Api.Response login = api.call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = login.body().path("csrf_token").asText();
        assertThat(login.body().path("user").path("role").asText()).isEqualTo("admin");

        assertThat(api.call("GET", "/api/v1/servers", null, "Cookie", cookie).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/auth/me", null, "Cookie", cookie).body().path("csrf_token").asText())
                .as("a reloaded page gets it again").isEqualTo(csrf);
        Api.Response withoutCsrf = api.call("POST", "/api/v1/servers", "{\"name\":\"db-03\"}", "Cookie", cookie);
        assertThat(withoutCsrf.status()).isEqualTo(403);
        assertThat(withoutCsrf.errorMessage()).contains("X-CSRF-Token");
        assertThat(api.call("POST", "/api/v1/servers", "{\"name\":\"db-03\"}", "Cookie", cookie, "X-CSRF-Token", csrf).status())
                .isEqualTo(201);

        assertThat(api.call("POST", "/api/v1/auth/logout", null, "Cookie", cookie, "X-CSRF-Token", csrf).status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/v1/servers", null, "Cookie", cookie).status()).as("the session ended on the server")
                .isEqualTo(401);
    }

    @Test
    void a_page_of_another_site_cannot_use_the_session_cookie() throws Exception {
        Api.Response login = api.call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        String setCookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = login.body().path("csrf_token").asText();
        String own = "http://127.0.0.1:" + hub.port();

        for (String foreign : List.of("http://evil.example", "http://127.0.0.1:" + (hub.port() + 1), "https://127.0.0.1:" + hub.port(), "null")) {
            Api.Response crossSite = api.call("POST", "/api/v1/servers", "{\"name\":\"db-04\"}", "Cookie", cookie, "X-CSRF-Token", csrf,
                    "Origin", foreign);
            assertThat(crossSite.status()).as(foreign).isEqualTo(403);
            assertThat(crossSite.errorMessage()).as(foreign).contains(foreign);
        }
        assertThat(api.call("POST", "/api/v1/servers", "{\"name\":\"db-04\"}", "Cookie", cookie, "X-CSRF-Token", csrf, "Origin", own)
                .status()).as("the hub's own page").isEqualTo(201);
        assertThat(api.call("POST", "/api/v1/servers", "{\"name\":\"db-05\"}", "Authorization", "Bearer " + admin, "Origin",
                "http://evil.example").status()).as("a token is no cookie a page could borrow").isEqualTo(201);

        URI live = URI.create("ws://127.0.0.1:" + hub.port() + "/api/v1/live");
        try (TestSocket<JsonNode> hijacked = new TestSocket<>(HttpClient.newHttpClient(), live,
                Map.of("Cookie", cookie, "Origin", "http://evil.example"), Api.JSON::readTree)) {
            assertThat(hijacked.closed.get(TestSocket.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(hijacked.received).singleElement().satisfies(error -> {
                assertThat(error.path("code").asText()).isEqualTo("forbidden");
                assertThat(error.path("message").asText()).contains("http://evil.example");
            });
        }
        try (TestSocket<JsonNode> page = new TestSocket<>(HttpClient.newHttpClient(), live, Map.of("Cookie", cookie, "Origin", own),
                Api.JSON::readTree)) {
            page.send("{\"type\":\"subscribe\",\"topics\":[\"servers\"]}");
            page.await(message -> message.path("type").asText().equals("subscribed"), "the subscription's answer");
        }
    }

    @Test
    void failed_sign_ins_are_rate_limited_and_audited() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(api.call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"guess " + i + "\"}").status())
                    .isEqualTo(401);
        }
        Api.Response blocked = api.call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");

        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.errorCode()).isEqualTo("rate_limited");
        Api.Response audit = api.as(admin, "GET", "/api/v1/audit?action=login&limit=50", null);
        assertThat(audit.body().findValuesAsText("outcome")).contains("denied", "rate_limited");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `not json`                          | 400 | invalid_request | the body is not valid JSON
            `[1,2]`                             | 400 | invalid_request | the body must be a JSON object
            `{}`                                | 400 | invalid_request | field 'name' is required
            `{"name":42}`                       | 400 | invalid_request | field 'name' must be a string
            `{"name":"  "}`                     | 400 | invalid_request | field 'name' must not be blank
            `{"name":"x","tags":"prod"}`        | 400 | invalid_request | field 'tags' must be an array of strings
            `{"name":"web-01"}`                 | 409 | conflict        | a server named web-01 already exists
            """)
    void bad_bodies_get_a_clear_4xx(String body, int status, String code, String message) throws Exception {
        Api.Response response = api.as(admin, "POST", "/api/v1/servers", body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.errorMessage()).isEqualTo(message);
    }

    @Test
    void huge_bodies_unknown_routes_and_bad_queries_are_clean_errors() throws Exception {
        // Expect: 100-continue lets the hub refuse before the body is sent; otherwise the hub's close
        // while 2 MiB are still arriving can reset the connection before the client reads the 413.
        java.net.http.HttpResponse<String> huge = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/servers")).expectContinue(true)
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(2 << 20) + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(Api.JSON.readTree(huge.body()).path("error").path("code").asText()).isEqualTo("too_large");

        Api.Response missing = api.as(admin, "GET", "/api/v1/nothing-here", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("not_found");

        Api.Response badLimit = api.as(admin, "GET", "/api/v1/audit?limit=lots", null);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.errorMessage()).isEqualTo("query parameter 'limit' must be a whole number from 1 to 1000");
    }

    @Test
    void every_answer_carries_the_security_headers() throws Exception {
        for (String path : List.of("/api/v1/servers", "/api/v1/nothing-here", "/healthz", "/", "/no-such-page")) {
            java.net.http.HttpResponse<String> answer = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + hub.port() + path)).header("Authorization", "Bearer " + admin).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpHeaders headers = answer.headers();
            assertThat(headers.allValues("X-Content-Type-Options")).as(path).containsExactly("nosniff");
            assertThat(headers.allValues("X-Frame-Options")).as(path).containsExactly("DENY");
            assertThat(headers.allValues("Referrer-Policy")).as(path).containsExactly("no-referrer");
            assertThat(headers.allValues("Content-Security-Policy")).as(path).hasSize(1);
            assertThat(headers.firstValue("Strict-Transport-Security")).as("plain http: no HSTS").isEmpty();
        }
        java.net.http.HttpResponse<String> api = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/servers")).header("Authorization", "Bearer " + admin).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(api.headers().allValues("Cache-Control")).containsExactly("no-store");
        assertThat(api.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        java.net.http.HttpResponse<String> page = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hub.port() + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().allValues("Content-Security-Policy")).as("the page's own policy, which lets it run its scripts")
                .singleElement().asString().contains("script-src 'self'");
        assertThat(page.headers().allValues("Cache-Control")).containsExactly("no-cache");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            GET /api/v1/servers/%00 HTTP/1.1                | 400
            GET /api/v1/servers/..%2F..%2Fetc HTTP/1.1       | 404
            GET /api/v1/servers/a%2Fb HTTP/1.1               | 404
            GET /api/v1/servers/%ZZ HTTP/1.1                 | 400
            GET /api/v1/servers/LONG HTTP/1.1                | 414
            GET /api/v1/servers HTTP/1.1;X-Big: HUGE         | 431
            """)
    void malformed_requests_get_the_api_s_error_shape_not_the_web_server_s_page(String request, int status) throws Exception {
        String head = request.replace("LONG", "x".repeat(10_000)).replace("HUGE", "y".repeat(20_000)).replace(";", "\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", hub.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
            String headers = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertThat(headers).contains("content-type: application/json").contains("x-content-type-options: nosniff")
                    .contains("cache-control: no-store");
            JsonNode error = Api.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
            assertThat(error.path("code").asText()).isNotBlank();
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }

    @Test
    void sql_looking_names_are_just_names() throws Exception {
        String name = "x'); DROP TABLE servers; --";

        Api.Response created = api.as(admin, "POST", "/api/v1/servers", "{\"name\":" + Api.JSON.writeValueAsString(name) + "}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(api.as(viewer, "GET", "/api/v1/servers", null).body().findValuesAsText("name")).contains(name, "web-01");
    }

    @Test
    void adding_a_server_gives_a_key_that_connects_at_once_and_revoking_it_disconnects_within_a_second() throws Exception {
        Api.Response created = api.as(admin, "POST", "/api/v1/servers", "{\"name\":\"db-02\",\"tags\":[\"prod\",\"db\"]}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("server").path("id").asText();
        String key = created.body().path("api_key").path("key").asText();
        String keyId = created.body().path("api_key").path("id").asText();
        assertThat(key).startsWith("cok_").hasSizeGreaterThan(40);
        assertThat(created.body().path("server").path("status").asText()).isEqualTo("never_connected");

        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            Api.Response server = api.as(viewer, "GET", "/api/v1/servers/" + id, null);
            assertThat(server.body().path("status").asText()).isEqualTo("online");
            assertThat(server.body().path("agent").path("hostname").asText()).isEqualTo("web-01");
            assertThat(server.body().path("tags").toString()).isEqualTo("[\"prod\",\"db\"]");
            Api.Response keys = api.as(admin, "GET", "/api/v1/servers/" + id + "/api-keys", null);
            assertThat(keys.body().get(0).path("prefix").asText()).isEqualTo(key.substring(0, 8));
            assertThat(keys.body().toString()).doesNotContain(key);

            long start = System.nanoTime();
            assertThat(api.as(admin, "DELETE", "/api/v1/api-keys/" + keyId, null).status()).isEqualTo(204);
            assertThat(agent.awaitClose()).isEqualTo(4001);
            assertThat(System.nanoTime() - start).as("closed within a second").isLessThan(1_000_000_000L);
        }
        try (TestAgent again = new TestAgent(hub.port()).auth(key)) {
            assertThat(again.await(io.chatops.protocol.AuthError.class).code())
                    .isEqualTo(io.chatops.protocol.AuthError.Code.INVALID_KEY);
        }
        assertThat(api.as(admin, "GET", "/api/v1/audit?server_id=" + id, null).body().findValuesAsText("action"))
                .contains("server_create", "api_key_revoke");
    }

    @Test
    void deleting_a_server_deletes_its_keys_and_history() throws Exception {
        String key = hub.servers().createKey(serverId, "k", null).key();
        io.chatops.protocol.Metrics sample = new io.chatops.protocol.Metrics(1, java.time.Instant.now(), 5, null, null,
                java.util.List.of(), java.util.List.of(), 1L, null, null);
        hub.metrics().store(serverId, sample);
        hub.pruneNow();

        assertThat(api.as(admin, "DELETE", "/api/v1/servers/" + serverId, null).status()).isEqualTo(204);

        for (String table : java.util.List.of("api_keys", "metrics_open", "metrics_blocks", "metrics_latest", "metrics_1m_series", "metrics_1h_series", "agent_connections", "commands")) {
            int left = hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE server_id = ?")
                    .bind(0, serverId).mapTo(Integer.class).one());
            assertThat(left).as(table).isZero();
        }
        assertThat(hub.servers().findKey(key)).isEmpty();
    }

    @Test
    void the_last_admin_cannot_be_removed_or_demoted() throws Exception {
        String adminId = api.as(admin, "GET", "/api/v1/auth/me", null).body().path("id").asText();

        assertThat(api.as(admin, "PATCH", "/api/v1/users/" + adminId, "{\"role\":\"viewer\"}").status()).isEqualTo(409);
        assertThat(api.as(admin, "DELETE", "/api/v1/users/" + adminId, null).status()).isEqualTo(409);
    }
}
