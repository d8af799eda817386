package io.chatops.agent.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Test containers through Debian's docker CLI: the test image, always on network none, removed afterwards. */
final class DockerCli implements AutoCloseable {
    static final String DOCKER = "/usr/bin/docker";
    static final String IMAGE = "chatops-test/busybox:latest";

    private final List<String> created = new ArrayList<>();

    /** Starts a container running {@code shell}; returns its name. */
    String run(boolean tty, String shell) throws Exception {
        String name = "chatops-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of(DOCKER, "run", "-d", "--network", "none", "--name", name));
        if (tty) {
            args.add("-t");
        }
        args.addAll(List.of(IMAGE, "sh", "-c", shell));
        exec(args);
        created.add(name);
        return name;
    }

    String exec(List<String> args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
        }
        return out.trim();
    }

    String exec(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(DOCKER));
        all.addAll(List.of(args));
        return exec(all);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!created.isEmpty()) {
            List<String> args = new ArrayList<>(List.of(DOCKER, "rm", "-f"));
            args.addAll(created);
            exec(args);
        }
    }
}
