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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * The real hub jar as a process on a free loopback port, with its embedded database in a test
 * folder, an admin API token, and the real packaged agents the test starts. {@link #close()} stops
 * them all and removes the containers the test made.
 */
final class RealHub implements AutoCloseable {
    /** The hub built with this tree, or the one {@code CHATOPS_BENCH_HUB_JAR} names (a benchmark's reference). */
    static final Path HUB_JAR = Path.of(System.getenv().getOrDefault("CHATOPS_BENCH_HUB_JAR", "../hub/target/chatops-hub.jar"));
    /** The Java runtime the hub's Debian package brings: every end-to-end test runs the hub on it, so a module it lacks shows. */
    static final Path HUB_JAVA = Path.of("../hub/target/deb/chatops-hub/usr/lib/chatops-hub/runtime/bin/java");
    static final Path AGENT = Path.of("../agent/target/chatops-agent");
    static final String ADMIN_PASSWORD = "end to end admin password";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    final Path dir;
    final int port;
    /** What the hub's command is prefixed with (a tracer), or nothing. */
    private final List<String> wrapper;
    /** Options for the hub beyond its port and data directory. */
    private final List<String> options;
    final HttpClient http;
    /** http, or https when the hub serves TLS. */
    private final String scheme;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();
    Process hub;
    String admin;
    private String lastCookie;

    RealHub(Path dir) throws Exception {
        this(dir, List.of(), List.of());
    }

    RealHub(Path dir, List<String> wrapper, List<String> options) throws Exception {
        this(dir, wrapper, options, null);
    }

    /** A hub started with {@code options}; with {@code tls} (trusting its certificate) it is reached over https. */
    RealHub(Path dir, List<String> wrapper, List<String> options, SSLContext tls) throws Exception {
        this(dir, wrapper, options, tls, freePort());
        hub = startHubProcess();
        signIn(ADMIN_PASSWORD);
    }

    private RealHub(Path dir, List<String> wrapper, List<String> options, SSLContext tls, int port) {
        this.dir = dir;
        this.http = tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
        this.scheme = tls == null ? "http" : "https";
        this.wrapper = wrapper;
        this.options = options;
        this.port = port;
    }

    /** The API of a hub this test did not start (the Debian package's service) on {@code port}; {@link #signIn} before calls that need the admin. */
    static RealHub listeningOn(Path dir, int port) {
        return new RealHub(dir, List.of(), List.of(), null, port);
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** Signs in as admin with {@code password} and keeps an API token in {@link #admin}. */
    void signIn(String password) throws Exception {
        JsonNode login = call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}", 200);
        assertThat(login.path("user").path("role").asText()).isEqualTo("admin");
        // Scripts use bearer tokens; make one through the browser session, with its CSRF token.
        admin = call("POST", "/api/v1/auth/tokens", null, "{\"name\":\"e2e\"}", 201, "Cookie", lastCookie,
                "X-CSRF-Token", login.path("csrf_token").asText()).path("token").asText();
    }

    String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    Process startHubProcess() throws Exception {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(HUB_JAVA.toAbsolutePath().toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                HUB_JAR.toAbsolutePath().toString(), "--listen", "127.0.0.1:" + port, "--data-dir", dir.resolve("data").toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("hub.log").toFile()));
        builder.environment().put("CHATOPS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Process process = builder.start();
        processes.add(process);
        eventually("the hub answers /readyz", () -> get("/readyz") == 200);
        return process;
    }

    /** Stops the hub and starts it again on the same port and data. */
    void restartHub() throws Exception {
        hub.destroy();
        assertThat(hub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        hub = startHubProcess();
    }

    /** Kills the hub with SIGKILL, as a power cut or the OOM killer would, and starts it again on the same port and data. */
    void killAndRestartHub() throws Exception {
        hub.destroyForcibly();
        assertThat(hub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        hub = startHubProcess();
    }

    /** Starts the packaged agent with {@code key}; its log goes to agent.log in the test folder. */
    Process startAgent(String key) throws Exception {
        return startAgent(key, "agent", Map.of());
    }

    /** Starts the packaged agent with {@code key} and {@code environment}, its state in {@code name}, its log in name.log. */
    Process startAgent(String key, String name, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(AGENT.toAbsolutePath().toString(), "-api-url", url(),
                "-state-dir", dir.resolve(name).toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("CHATOPS_API_KEY", key);
        builder.environment().putAll(environment);
        Process agent = builder.start();
        processes.add(agent);
        return agent;
    }

    /** Runs a container of the test image without a network until the test ends; returns its name. */
    String startContainer(String prefix) throws Exception {
        String name = prefix + "-" + System.nanoTime();
        TestMachineTest.run(TestMachineTest.DOCKER, "run", "-d", "--network", "none", "--name", name, TestMachineTest.TEST_IMAGE,
                "sh", "-c", "echo container started; trap 'exit 0' TERM; while true; do sleep 1; done");
        containers.add(name);
        return name;
    }

    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            // A wrapper (strace) lets its child go on when it is stopped: the hub under it is stopped too.
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            children.forEach(ProcessHandle::destroy);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    child.destroyForcibly();
                }
            }
        }
        for (String name : containers) {
            TestMachineTest.run(TestMachineTest.DOCKER, "rm", "-f", name);
        }
    }

    JsonNode server(String id) throws Exception {
        return call("GET", "/api/v1/servers/" + id, admin, null, 200);
    }

    JsonNode call(String method, String path, String token, String body, int expected, String... headers) throws Exception {
        HttpRequest.Builder request = request(method, path, token, body, WAIT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Set-Cookie").ifPresent(c -> lastCookie = c.substring(0, c.indexOf(';')));
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** A request answered whatever its status, for tests that expect errors; {@code token} and {@code body} may be null. */
    HttpResponse<String> send(String method, String path, String token, String body, Duration timeout) throws Exception {
        return http.send(request(method, path, token, body, timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String token, String body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(timeout);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** Adds {@code count} servers named {@code prefix-N} on {@code pool}'s threads; the API's answers (each server and its key), in order. */
    List<JsonNode> enrol(String prefix, int count, ExecutorService pool) {
        List<CompletableFuture<JsonNode>> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + i;
            created.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return call("POST", "/api/v1/servers", admin, "{\"name\":\"" + name + "\"}", 201);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        return created.stream().map(CompletableFuture::join).toList();
    }

    /** A figure of {@code process}'s {@code /proc} status: kB for memory ({@code VmRSS:}), a count for {@code Threads:}. */
    static long procStatus(Process process, String field) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + process.pid() + "/status");
    }

    int get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    static <T> T eventually(String what, Probe<T> probe, Predicate<T> done) throws Exception {
        return eventually(what, probe, done, WAIT);
    }

    static <T> T eventually(String what, Probe<T> probe, Predicate<T> done, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
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
}
