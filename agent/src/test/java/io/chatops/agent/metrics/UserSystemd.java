package io.chatops.agent.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd, for the services collector: a user manager ({@code systemd --user}) with service
 * units written by the test, and its D-Bus bus, which it starts on demand ({@code dbus.socket}) as
 * in a user's session. systemd refuses to run where the host was not booted with it, so the manager
 * runs in a mount namespace of its own in which {@code /run/systemd/system} exists (needs root, as
 * the CI machine has).
 */
final class UserSystemd implements AutoCloseable {
    final Path dir;
    final Path bus;
    private final Process manager;

    UserSystemd(Path dir, Map<String, String> units) throws IOException, InterruptedException {
        this.dir = dir;
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Path unitDir = Files.createDirectories(dir.resolve("home/.config/systemd/user"));
        for (Map.Entry<String, String> unit : units.entrySet()) {
            Files.writeString(unitDir.resolve(unit.getKey()), unit.getValue());
        }
        bus = runtime.resolve("bus");
        ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "sh", "-c",
                "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec /lib/systemd/systemd --user")
                .redirectErrorStream(true).redirectOutput(dir.resolve("systemd.log").toFile());
        environment(builder.environment());
        manager = builder.start();
        await(() -> !manager.isAlive() || busctl("status", "org.freedesktop.systemd1").exitValue() == 0, "systemd to be on its bus");
        if (!manager.isAlive()) {
            throw new IOException("systemd --user exited: " + Files.readString(dir.resolve("systemd.log")));
        }
    }

    private void environment(Map<String, String> env) {
        env.put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
        env.put("HOME", dir.resolve("home").toString());
        env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + bus);
    }

    /** Runs {@code systemctl --user} with the arguments; returns the finished process. */
    Process systemctl(String... arguments) throws IOException, InterruptedException {
        return run("systemctl", arguments);
    }

    private Process busctl(String... arguments) throws IOException, InterruptedException {
        return run("busctl", arguments);
    }

    private Process run(String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool, "--user", "--no-pager"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        environment(builder.environment());
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(tool + " " + String.join(" ", arguments) + " did not finish");
        }
        return process;
    }

    /** Stops the bus and its socket, as a crashed D-Bus daemon goes away: connecting is refused. */
    void stopBus() throws IOException, InterruptedException {
        if (systemctl("stop", "dbus.socket", "dbus.service").exitValue() != 0) {
            throw new IOException("could not stop the bus");
        }
    }

    /** Listens again: the next connection starts the bus, and systemd joins it. */
    void startBus() throws IOException, InterruptedException {
        if (systemctl("start", "dbus.socket").exitValue() != 0) {
            throw new IOException("could not start the bus");
        }
    }

    interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }

    static void await(Condition condition, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("waited 20 s for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        manager.descendants().forEach(ProcessHandle::destroyForcibly);
        manager.destroyForcibly();
        manager.waitFor(10, TimeUnit.SECONDS);
    }
}
