package io.chatops.hub.fuzz;

import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.UserStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Every REST route that takes a JSON body, as a fuzz target (Jazzer's convention;
 * {@code scripts/bench-faults fuzz} fuzzes it, {@code FuzzCorpusTest} replays the kept corpus on
 * every build): the first byte of an input picks the route, the rest is the body, sent by an admin
 * to a real hub on loopback. A 500 is a finding: a bad body must get a 4xx that names the problem.
 * Routes that would reach outside (notification channels, Slack and Mattermost) are left out: a
 * fuzzed URL must not be called.
 */
public final class RestBodyFuzzTarget {
    record Route(String method, String path) {
    }

    private static final Hub HUB;
    private static final String ADMIN;
    private static final List<Route> ROUTES;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        try {
            Clock clock = Clock.systemUTC();
            HUB = TestHubs.start(Files.createTempDirectory("chatops-rest-fuzz"), clock);
            ADMIN = TestHubs.token(HUB, clock, "fuzzer", Role.ADMIN);
            String server = HUB.servers().create("web-01", List.of()).id();
            String user = new UserStore(HUB.database().jdbi(), clock).create("olga", "olga's password", Role.VIEWER).id();
            ROUTES = List.of(new Route("POST", "/api/v1/auth/login"), new Route("POST", "/api/v1/auth/tokens"),
                    new Route("POST", "/api/v1/users"), new Route("PATCH", "/api/v1/users/" + user),
                    new Route("POST", "/api/v1/servers"), new Route("PATCH", "/api/v1/servers/" + server),
                    new Route("POST", "/api/v1/servers/" + server + "/api-keys"), new Route("POST", "/api/v1/servers/" + server + "/commands"),
                    new Route("POST", "/api/v1/servers/" + server + "/containers/web/restart"), new Route("POST", "/api/v1/alert-rules"),
                    new Route("POST", "/api/v1/alert-rules/preview"), new Route("POST", "/api/v1/silences"),
                    new Route("POST", "/api/v1/chat/messages"), new Route("PUT", "/api/v1/chat/settings"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RestBodyFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        Route route = ROUTES.get(Byte.toUnsignedInt(input[0]) % ROUTES.size());
        String body = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HUB.port() + route.path()))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(route.method(), HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 500 || !response.body().isEmpty() && !response.body().startsWith("{") && !response.body().startsWith("[")) {
            throw new IllegalStateException(route + " answered " + response.statusCode() + " " + response.body() + " to the body: " + body);
        }
    }
}
