package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian packages on this very machine, as an operator uses them: {@code dpkg -i} of the hub,
 * its service, the agent's package downloaded from it and enrolled, an upgrade of the hub, a
 * refused downgrade, remove and purge. The machine runs
 * no systemd, so the test starts each unit's {@code ExecStart} itself the way systemd would: as
 * the unit's user, with its environment file, state directory, umask and file limit.
 */
class PackagesTest {
    private static final Path HUB_DEB = built("../hub/target", "chatops-hub_*_amd64.deb");
    private static final Path AGENT_DEB = built("../agent/target", "chatops-agent_*_amd64.deb");
    private static final Path HUB_UNIT = Path.of("/lib/systemd/system/chatops-hub.service");
    private static final Path AGENT_UNIT = Path.of("/lib/systemd/system/chatops-agent.service");
    private static final Path HUB_ENV = Path.of("/etc/chatops/hub.env");
    private static final Path AGENT_JSON = Path.of("/etc/chatops/agent.json");
    private static final Path HUB_DATA = Path.of("/var/lib/chatops-hub");
    private static final Path AGENT_DATA = Path.of("/var/lib/chatops-agent");

    @TempDir
    Path dir;
    private final List<Process> services = new ArrayList<>();

    @BeforeAll
    static void asRoot() throws Exception {
        assertThat(shell("id", "-u").output().trim()).as("installing packages takes root").isEqualTo("0");
        assertThat(shell("dpkg-query", "-W", "chatops-hub", "chatops-agent").exit())
                .as("this machine has no chatops package yet (the test purges them at its end)").isNotZero();
    }

    @AfterEach
    void purge() throws Exception {
        stopAll();
        for (Path unit : List.of(HUB_UNIT, AGENT_UNIT)) {
            Path log = dir.resolve(unit.getFileName() + ".log");
            if (Files.exists(log)) {
                System.out.printf("%s's output:%n%s%n", unit.getFileName(), Files.readString(log));
            }
        }
        shell("dpkg", "--purge", "chatops-agent", "chatops-hub");
    }

    @Test
    void lintian_finds_no_error_in_either_package() throws Exception {
        for (Path deb : List.of(HUB_DEB, AGENT_DEB)) {
            Result lintian = shell(Duration.ofMinutes(5), "lintian", "--tag-display-limit", "0", deb.toString());
            System.out.printf("lintian %s:%n%s%n", deb.getFileName(), lintian.output());
            assertThat(lintian.output().lines().filter(line -> line.startsWith("E: ")))
                    .as("lintian's errors for %s", deb.getFileName()).isEmpty();
        }
    }

    @Test
    void install_enrol_upgrade_refuse_a_downgrade_remove_and_purge() throws Exception {
        // The hub: a user, a protected config, the unit enabled (systemd would start it now), on a port
        // of its own (an operator's change to the conffile, which upgrades must keep).
        assertThat(dpkg("-i", HUB_DEB.toString()).exit()).isZero();
        int port = RealHub.freePort();
        RealHub api = RealHub.listeningOn(dir, port);
        Files.writeString(HUB_ENV, Files.readString(HUB_ENV).replace("CHATOPS_HUB_LISTEN=127.0.0.1:8080",
                "CHATOPS_HUB_LISTEN=127.0.0.1:" + port));
        Process hub = startUnit(HUB_UNIT);
        eventually("the packaged hub answers /readyz", () -> api.get("/readyz") == 200);
        String password = shell("cat", HUB_DATA.resolve("initial-admin-password").toString()).output().trim();
        assertThat(shell("stat", "-c", "%U %a", HUB_DATA.toString()).output()).isEqualTo("chatops-hub 700\n");
        api.signIn(password);
        String token = api.admin;

        // The agent, as the Add-server dialog says: its package from the hub, then the server's key.
        HttpResponse<Path> download = api.http.send(HttpRequest.newBuilder(URI.create(api.url() + "/downloads/chatops-agent.deb")).build(),
                HttpResponse.BodyHandlers.ofFile(dir.resolve("chatops-agent.deb")));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(shell("sha256sum", download.body().toString()).output().split(" ")[0])
                .isEqualTo(download.headers().firstValue("X-Checksum-SHA256").orElseThrow());
        assertThat(dpkg("-i", download.body().toString()).exit()).isZero();
        assertThat(shell("systemd-analyze", "verify", HUB_UNIT.toString(), AGENT_UNIT.toString()))
                .as("systemd-analyze verify").satisfies(verify -> assertThat(verify.exit()).isZero())
                .satisfies(verify -> assertThat(verify.output()).doesNotContain("chatops"));
        assertThat(shell("systemd-analyze", "security", "--offline=true", HUB_UNIT.toString()).output())
                .as("systemd's exposure score of the hub's unit, 0 safest to 10").contains("Overall exposure level for chatops-hub.service: 3.0 OK");
        for (String name : List.of("chatops-hub", "chatops-agent")) {
            assertThat(shell("getent", "passwd", name).output()).contains(":/var/lib/" + name + ":/usr/sbin/nologin");
            assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/" + name + ".service")).isSymbolicLink();
        }
        assertThat(shell("stat", "-c", "%U:%G %a", HUB_ENV.toString(), AGENT_JSON.toString()).output())
                .isEqualTo("root:chatops-hub 640\nroot:chatops-agent 640\n");
        assertThat(shell("dpkg-query", "-W", "-f", "${Conffiles}", "chatops-hub", "chatops-agent").output())
                .contains(HUB_ENV.toString(), AGENT_JSON.toString());
        assertThat(shell("id", "-nG", "chatops-agent").output()).as("Docker is installed here").contains("docker");
        JsonNode created = api.call("POST", "/api/v1/servers", token, "{\"name\":\"packaged\"}", 201);
        String serverId = created.path("server").path("id").asText();
        assertThat(shell("sh", "-c", "printf '{\"api_url\": \"%s\", \"api_key\": \"%s\"}\\n' 'http://127.0.0.1:" + port + "' '"
                + created.path("api_key").path("key").asText() + "' | tee " + AGENT_JSON + " >/dev/null").exit()).isZero();
        startUnit(AGENT_UNIT);
        eventually("the packaged agent reports", () -> api.call("GET", "/api/v1/servers/" + serverId, token, null, 200),
                s -> s.path("status").asText().equals("online") && !s.path("latest").isNull());
        eventually("the agent lists containers, through the docker group the package put it in",
                () -> api.send("GET", "/api/v1/servers/" + serverId + "/containers", token, null, RealHub.WAIT).statusCode(), code -> code == 200);

        // Upgrade the hub to a newer build of the same package while it runs, then restart it as
        // the package's postinst has systemd do: settings and data kept, the agent back by itself.
        String oldVersion = installedVersion("chatops-hub");
        Path newer = rebuiltAs(HUB_DEB, oldVersion + "+1");
        assertThat(dpkg("-i", newer.toString()).exit()).isZero();
        assertThat(installedVersion("chatops-hub")).isEqualTo(oldVersion + "+1");
        assertThat(Files.readString(HUB_ENV)).contains("CHATOPS_HUB_LISTEN=127.0.0.1:" + port);
        stop(hub);
        Instant restarted = Instant.now();
        hub = startUnit(HUB_UNIT);
        eventually("the upgraded hub answers /readyz", () -> api.get("/readyz") == 200);
        JsonNode back = eventually("the agent reconnects by itself", () -> api.call("GET", "/api/v1/servers/" + serverId, token, null, 200),
                s -> s.path("status").asText().equals("online") && Instant.parse(s.path("online_since").asText()).isAfter(restarted));
        assertThat(back.path("name").asText()).as("the server and its token survived the upgrade").isEqualTo("packaged");

        // A downgrade stops in the preinst, before anything changed.
        Result downgrade = dpkg("-i", HUB_DEB.toString());
        assertThat(downgrade.exit()).isNotZero();
        assertThat(downgrade.output()).contains("chatops-hub: refusing to downgrade from " + oldVersion + "+1 to " + oldVersion);
        assertThat(installedVersion("chatops-hub")).isEqualTo(oldVersion + "+1");
        assertThat(api.get("/readyz")).as("the running hub is untouched").isEqualTo(200);

        // Remove keeps data and settings, and masks the units; purge takes everything.
        stopAll();
        assertThat(dpkg("-r", "chatops-agent", "chatops-hub").exit()).isZero();
        assertThat(Path.of("/usr/lib/chatops-hub")).doesNotExist();
        assertThat(Path.of("/usr/bin/chatops-agent")).doesNotExist();
        assertThat(HUB_DATA.resolve("chatops.db")).exists();
        assertThat(AGENT_DATA).exists();
        assertThat(Files.readString(HUB_ENV)).contains("CHATOPS_HUB_LISTEN=127.0.0.1:" + port);
        assertThat(Path.of("/etc/systemd/system/chatops-hub.service")).isSymbolicLink();
        assertThat(dpkg("-P", "chatops-agent", "chatops-hub").exit()).isZero();
        for (Path gone : List.of(HUB_DATA, AGENT_DATA, Path.of("/etc/chatops"), Path.of("/etc/systemd/system/chatops-hub.service"),
                Path.of("/etc/systemd/system/multi-user.target.wants/chatops-agent.service"))) {
            assertThat(Files.exists(gone, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("%s after purge", gone).isFalse();
        }
        assertThat(shell("dpkg-statoverride", "--list").output()).doesNotContain("/etc/chatops");
    }

    /** Starts a unit's ExecStart as systemd would: its user, groups, environment file, state directory, umask and file limit. */
    private Process startUnit(Path unit) throws Exception {
        Map<String, String> settings = keyValues(unit);
        String user = settings.get("User");
        Path state = Path.of("/var/lib", settings.get("StateDirectory"));
        assertThat(shell("install", "-d", "-o", user, "-g", settings.get("Group"), "-m", settings.get("StateDirectoryMode"),
                state.toString()).exit()).isZero();
        // The unit's file limit, as far as this machine's hard limit lets a process raise it.
        long hardLimit = Long.parseLong(shell("sh", "-c", "ulimit -Hn").output().trim());
        long files = Math.min(Long.parseLong(settings.getOrDefault("LimitNOFILE", "1024")), hardLimit);
        List<String> command = new ArrayList<>(List.of("prlimit", "--nofile=" + files, "--",
                "setpriv", "--reuid=" + user, "--regid=" + settings.get("Group"), "--init-groups", "--no-new-privs", "--",
                "sh", "-c", "umask " + settings.get("UMask") + " && exec \"$@\"", "sh"));
        command.addAll(List.of(settings.get("ExecStart").split(" ")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(unit.getFileName() + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("STATE_DIRECTORY", state.toString());
        if (settings.containsKey("EnvironmentFile")) {
            builder.environment().putAll(keyValues(Path.of(settings.get("EnvironmentFile"))));
        }
        Process process = builder.start();
        services.add(process);
        return process;
    }

    /** The KEY=VALUE lines of a unit file or an environment file, without comments (and a unit's section headers). */
    private static Map<String, String> keyValues(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                settings.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return settings;
    }

    private void stop(Process service) throws Exception {
        // systemd's stop: SIGTERM to the whole unit, here the wrappers' exec chain ends in the JVM.
        service.destroy();
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stopped within the unit's TimeoutStopSec").isTrue();
        services.remove(service);
    }

    private void stopAll() throws Exception {
        for (Process service : List.copyOf(services)) {
            stop(service);
        }
    }

    /** The same package with another version: what the next release's package is to this one. */
    private Path rebuiltAs(Path deb, String version) throws Exception {
        Path tree = dir.resolve("rebuilt");
        assertThat(shell("dpkg-deb", "-R", deb.toString(), tree.toString()).exit()).isZero();
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
        Path rebuilt = dir.resolve("chatops-hub_" + version + "_amd64.deb");
        assertThat(shell(Duration.ofMinutes(3), "dpkg-deb", "--root-owner-group", "--build", tree.toString(), rebuilt.toString()).exit()).isZero();
        return rebuilt;
    }

    private static String installedVersion(String name) throws Exception {
        return shell("dpkg-query", "-W", "-f", "${Version}", name).output();
    }

    private static Result dpkg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(arguments));
        Result result = shell(Duration.ofMinutes(3), command.toArray(String[]::new));
        System.out.printf("%s: exit %d%n%s%n", String.join(" ", command), result.exit(), result.output());
        return result;
    }

    record Result(int exit, String output) {
    }

    private static Result shell(String... command) throws Exception {
        return shell(Duration.ofSeconds(60), command);
    }

    /** Runs {@code command} to its end; its exit code, and its output with errors merged. */
    private static Result shell(Duration timeout, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path built(String directory, String glob) {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of(directory), glob)) {
            List<Path> debs = new ArrayList<>();
            found.forEach(debs::add);
            assertThat(debs).as("%s in %s (mvn package builds it)", glob, directory).hasSize(1);
            return debs.get(0).toAbsolutePath();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + directory, e);
        }
    }
}
