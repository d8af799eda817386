package io.chatops.agent.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker daemon of a test's own, on its own socket and directories, which the test may stop and
 * start again: the machine's daemon serves the other tests and must stay up. No bridge and no
 * iptables, as the machine's; it is given the test image from the machine's daemon.
 */
final class PrivateDockerd implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private Process daemon;

    /** {@code dir} must be short: the daemon's sockets below it must fit a Unix socket path (108 bytes). */
    PrivateDockerd(Path dir) throws Exception {
        this.dir = dir;
        this.socket = dir.resolve("d.sock");
        start();
        DockerCli machine = new DockerCli();
        Path image = dir.resolve("image.tar");
        machine.exec("save", "-o", image.toString(), DockerCli.IMAGE);
        cli("load", "-i", image.toString());
        Files.delete(image);
    }

    Path socket() {
        return socket;
    }

    void start() throws Exception {
        daemon = new ProcessBuilder("/usr/sbin/dockerd", "--host", "unix://" + socket, "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("x").toString(), "--pidfile", dir.resolve("d.pid").toString(), "--bridge=none",
                "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers()) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the private dockerd did not come up; see " + dir.resolve("dockerd.log"));
            }
            Thread.sleep(100);
        }
    }

    /** Stops the daemon as systemd would (SIGTERM): it stops its containers and exits. */
    void stop() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
    }

    String cli(String... args) throws IOException, InterruptedException {
        List<String> all = new java.util.ArrayList<>(List.of(DockerCli.DOCKER, "-H", "unix://" + socket));
        all.addAll(List.of(args));
        return new DockerCli().exec(all);
    }

    private boolean answers() {
        try {
            cli("version", "--format", "{{.Server.Version}}");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (daemon.isAlive()) {
            try {
                String all = cli("ps", "-aq");
                if (!all.isBlank()) {
                    cli(concat("rm", "-f", all.split("\\s+")));
                }
            } finally {
                stop();
            }
        }
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(); // image layers are owned by root, in many directories
    }

    private static String[] concat(String first, String second, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = first;
        all[1] = second;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
