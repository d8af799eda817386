package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two real hub processes on one PostgreSQL (a schema of their own) behind Debian's HAProxy, with
 * the configuration shipped in docs/scale-out/: what docs/scale-out.md describes, on loopback.
 * Clients go through {@link #url()}; a test may also call one hub directly or kill it.
 */
final class HubCluster implements AutoCloseable {
    static final Path HAPROXY_CONFIG = Path.of("../docs/scale-out/haproxy.cfg");
    private static final Pattern JOINED = Pattern.compile("hub instance ([0-9a-f]+) joined");

    final Path dir;
    final String schema = "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final int[] hubPorts = new int[2];
    /** Where each load balancer listens: more than one when one process cannot hold enough file descriptors. */
    final int[] ports;
    final int port;
    final Process[] hubs = new Process[2];
    final HttpClient http = HttpClient.newHttpClient();
    private final List<String> jvmOptions;
    private final List<Process> balancers = new ArrayList<>();
    String admin;

    HubCluster(Path dir, List<String> jvmOptions) throws Exception {
        this(dir, jvmOptions, 1);
    }

    HubCluster(Path dir, List<String> jvmOptions, int loadBalancers) throws Exception {
        this.dir = dir;
        this.jvmOptions = jvmOptions;
        this.ports = new int[loadBalancers];
        try (Connection db = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
            db.createStatement().execute("CREATE SCHEMA " + schema);
        }
        for (int i = 0; i < loadBalancers; i++) {
            ports[i] = freePort();
        }
        port = ports[0];
        try {
            for (int i = 0; i < 2; i++) {
                hubPorts[i] = freePort();
                hubs[i] = startHub(i);
            }
            for (int lb : ports) {
                startHaproxy(lb);
            }
            admin = adminToken();
        } catch (Exception | AssertionError e) {
            close(); // no process outlives a failed start
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String url(int loadBalancer) {
        return "http://127.0.0.1:" + ports[loadBalancer];
    }

    String hubUrl(int i) {
        return "http://127.0.0.1:" + hubPorts[i];
    }

    String dbUrl() {
        return TestDatabase.url() + "?user=" + TestDatabase.user() + "&password=" + TestDatabase.password() + "&currentSchema=" + schema;
    }

    private Process startHub(int i) throws Exception {
        List<String> command = new ArrayList<>(List.of(RealHub.HUB_JAVA.toAbsolutePath().toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", RealHub.HUB_JAR.toAbsolutePath().toString(),
                "--listen", "127.0.0.1:" + hubPorts[i], "--data-dir", dir.resolve("hub-" + i).toString(), "--db-url", dbUrl()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile()));
        builder.environment().put("CHATOPS_ADMIN_PASSWORD", RealHub.ADMIN_PASSWORD);
        hubs[i] = builder.start();
        RealHub.eventually("hub " + i + " answers /readyz", () -> status(hubUrl(i) + "/readyz") == 200);
        return hubs[i];
    }

    Path log(int i) {
        return dir.resolve("hub-" + i + ".log");
    }

    private void startHaproxy(int lb) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", HAPROXY_CONFIG.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy-" + lb + ".log").toFile());
        builder.environment().put("CHATOPS_LB_BIND", "127.0.0.1:" + lb);
        builder.environment().put("CHATOPS_HUB_A", "127.0.0.1:" + hubPorts[0]);
        builder.environment().put("CHATOPS_HUB_B", "127.0.0.1:" + hubPorts[1]);
        balancers.add(builder.start());
        RealHub.eventually("HAProxy passes /readyz on", () -> status("http://127.0.0.1:" + lb + "/readyz") == 200);
    }

    /** Which hub (0 or 1) runs as hub instance {@code instanceId}, from the line each writes when it joins. */
    int hubOf(String instanceId) throws IOException {
        for (int i = 0; i < 2; i++) {
            Matcher joined = JOINED.matcher(Files.readString(log(i)));
            while (joined.find()) {
                if (joined.group(1).equals(instanceId)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no hub log names instance " + instanceId);
    }

    /** The hub (0 or 1) that holds the agent of {@code serverId} now, from its lease. */
    int holderOf(String serverId) throws Exception {
        try (Connection db = DriverManager.getConnection(dbUrl())) {
            var query = db.prepareStatement("SELECT instance_id FROM agent_leases WHERE server_id = ?");
            query.setString(1, serverId);
            var rows = query.executeQuery();
            assertThat(rows.next()).as("server %s has a lease", serverId).isTrue();
            return hubOf(rows.getString(1));
        }
    }

    /** SIGKILL, as a power cut or the OOM killer would. */
    void kill(int i) throws InterruptedException {
        hubs[i].destroyForcibly();
        assertThat(hubs[i].waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private String adminToken() throws Exception {
        HttpResponse<String> login = send("POST", url() + "/api/v1/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"" + RealHub.ADMIN_PASSWORD + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String csrf = RealHub.JSON.readTree(login.body()).path("csrf_token").asText();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/auth/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"scale-out\"}")).header("Content-Type", "application/json")
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).header("X-CSRF-Token", csrf).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        return RealHub.JSON.readTree(token.body()).path("token").asText();
    }

    /** An API call as the admin to {@code base} (the load balancer or one hub); asserts the status. */
    JsonNode call(String base, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = send(method, base + path, admin, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return response.body().isBlank() ? RealHub.JSON.nullNode() : RealHub.JSON.readTree(response.body());
    }

    HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A new server and an API key for it: {id, key}. */
    String[] enrol(String name) throws Exception {
        JsonNode created = call(url(), "POST", "/api/v1/servers", "{\"name\":\"" + name + "\"}", 201);
        return new String[] {created.path("server").path("id").asText(), created.path("api_key").path("key").asText()};
    }

    int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (Process haproxy : balancers) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        for (Process hub : hubs) {
            if (hub != null && hub.isAlive()) {
                hub.destroy();
                if (!hub.waitFor(15, TimeUnit.SECONDS)) {
                    hub.destroyForcibly();
                }
            }
        }
        try (Connection db = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
            db.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
