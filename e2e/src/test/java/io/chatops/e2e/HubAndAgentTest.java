package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real hub jar and the real packaged agent, as processes on loopback, with the real Docker
 * engine: enrol a server through the API, see its metrics, run a command, restart a container,
 * restart the hub, revoke the key.
 */
class HubAndAgentTest {
    static final Path HUB_JAR = Path.of("../hub/target/chatops-hub.jar");
    static final Path AGENT = Path.of("../agent/target/chatops-agent");
    static final String ADMIN_PASSWORD = "end to end admin password";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    final List<Process> processes = new ArrayList<>();
    final List<String> containers = new ArrayList<>();
    int port;
    Process hub;
    String admin;

    @BeforeEach
    void startHub() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        hub = startHubProcess();
        JsonNode login = call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}", 200);
        assertThat(login.path("user").path("role").asText()).isEqualTo("admin");
        // Scripts use bearer tokens; make one through the browser session, with its CSRF token.
        String cookie = lastCookie;
        admin = call("POST", "/api/v1/auth/tokens", null, "{\"name\":\"e2e\"}", 201, "Cookie", cookie,
                "X-CSRF-Token", login.path("csrf_token").asText()).path("token").asText();
    }

    Process startHubProcess() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaHome() + "/bin/java", "--enable-native-access=ALL-UNNAMED", "-jar",
                HUB_JAR.toAbsolutePath().toString(), "--listen", "127.0.0.1:" + port, "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("hub.log").toFile()));
        builder.environment().put("CHATOPS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Process process = builder.start();
        processes.add(process);
        eventually("the hub answers /readyz", () -> get("/readyz") == 200);
        return process;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (String name : containers) {
            TestMachineTest.run(TestMachineTest.DOCKER, "rm", "-f", name);
        }
    }

    @Test
    void enrol_watch_command_docker_restart_the_hub_and_revoke() throws Exception {
        JsonNode created = call("POST", "/api/v1/servers", admin, "{\"name\":\"e2e-host\",\"tags\":[\"e2e\"]}", 201);
        String serverId = created.path("server").path("id").asText();
        String key = created.path("api_key").path("key").asText();
        String keyId = created.path("api_key").path("id").asText();

        long start = System.nanoTime();
        ProcessBuilder agentBuilder = new ProcessBuilder(AGENT.toAbsolutePath().toString(), "-api-url", "http://127.0.0.1:" + port,
                "-state-dir", dir.resolve("agent").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        agentBuilder.environment().put("CHATOPS_API_KEY", key);
        processes.add(agentBuilder.start());

        JsonNode online = eventually("the server reports metrics", () -> server(serverId),
                s -> s.path("status").asText().equals("online") && !s.path("latest").isNull());
        System.out.printf("metrics visible %d ms after the agent started%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(online.path("agent").path("capabilities").toString()).contains("exec", "docker_control");
        assertThat(online.path("latest").path("memory_percent").asDouble()).isPositive();

        JsonNode command = call("POST", "/api/v1/servers/" + serverId + "/commands?wait=true", admin,
                "{\"command\":\"echo hello from $(hostname)\",\"timeout_seconds\":10}", 200);
        assertThat(command.path("status").asText()).isEqualTo("succeeded");
        assertThat(command.path("stdout").asText()).startsWith("hello from ");

        String name = "chatops-e2e-" + System.nanoTime();
        TestMachineTest.run(TestMachineTest.DOCKER, "run", "-d", "--network", "none", "--name", name, TestMachineTest.TEST_IMAGE,
                "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
        containers.add(name);
        eventually("the agent reports the container", () -> call("GET", "/api/v1/servers/" + serverId + "/containers", admin,
                null, 200), list -> list.path("containers").toString().contains(name));
        String before = TestMachineTest.run(TestMachineTest.DOCKER, "inspect", "-f", "{{.State.StartedAt}}", name).trim();
        JsonNode restarted = call("POST", "/api/v1/servers/" + serverId + "/containers/" + name + "/restart", admin, null, 200);
        assertThat(restarted.path("container").path("state").asText()).isEqualTo("running");
        assertThat(TestMachineTest.run(TestMachineTest.DOCKER, "inspect", "-f", "{{.State.StartedAt}}", name).trim())
                .isNotEqualTo(before);

        hub.destroy();
        assertThat(hub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        hub = startHubProcess();
        eventually("the agent reconnects after the hub restart", () -> server(serverId),
                s -> s.path("status").asText().equals("online"));
        java.time.Instant hubBack = java.time.Instant.now();
        JsonNode history = eventually("samples continue after the restart",
                () -> call("GET", "/api/v1/servers/" + serverId + "/metrics?resolution=raw", admin, null, 200),
                h -> h.path("timestamps").size() > 0 && java.time.Instant.parse(
                        h.path("timestamps").get(h.path("timestamps").size() - 1).asText()).isAfter(hubBack.plusSeconds(5)));
        assertThat(history.path("cpu_percent").toString()).as("no gap across the hub restart").doesNotContain("null");

        call("DELETE", "/api/v1/api-keys/" + keyId, admin, null, 204);
        eventually("the revoked agent is disconnected", () -> server(serverId), s -> !s.path("status").asText().equals("online"));
        assertThat(call("GET", "/api/v1/audit?server_id=" + serverId, admin, null, 200).findValuesAsText("action"))
                .contains("server_create", "command", "docker_restart", "api_key_revoke");
    }

    JsonNode server(String id) throws Exception {
        return call("GET", "/api/v1/servers/" + id, admin, null, 200);
    }

    private String lastCookie;

    JsonNode call(String method, String path, String token, String body, int expected, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(WAIT);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Set-Cookie").ifPresent(c -> lastCookie = c.substring(0, c.indexOf(';')));
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    int get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    static <T> T eventually(String what, Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting until " + what + "; last seen: " + last);
    }

    static void eventually(String what, java.util.function.BooleanSupplier condition) throws Exception {
        eventually(what, condition::getAsBoolean, ok -> ok);
    }

    static String javaHome() {
        return System.getProperty("java.home");
    }
}
