package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine the end-to-end tests run on has what scripts/test-prereqs promises: a Docker engine
 * with the test image and no container network, PostgreSQL on loopback, and a headless Chromium.
 * These fail loudly instead of letting later tests skip or hang on a missing piece.
 */
class TestMachineTest {
    static final String DOCKER = "/usr/bin/docker";
    static final String TEST_IMAGE = "chatops-test/busybox:latest";

    @Test
    void docker_runs_the_test_image_without_a_network() throws Exception {
        String out = run(DOCKER, "run", "--rm", "--network", "none", TEST_IMAGE,
                "sh", "-c", "echo ready; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");

        assertThat(out.lines()).containsExactly("ready", "lo");
    }

    @Test
    void postgresql_answers_on_loopback() throws Exception {
        try (Connection db = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
             ResultSet rs = db.createStatement().executeQuery("select inet_server_addr()::text, version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("127.0.0.1");
            assertThat(rs.getString(2)).startsWith("PostgreSQL");
        }
    }

    @Test
    void headless_chromium_renders_a_page(@TempDir Path profile) throws Exception {
        String dom = run("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--dump-dom", "data:text/html,<p id=probe>rendered</p>");

        assertThat(dom).contains("<p id=\"probe\">rendered</p>");
    }

    /** Runs a program to completion within a minute and returns its standard output. */
    static String run(String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("e2e", ".err");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish within 60 s");
            }
            assertThat(process.exitValue())
                    .as("%s exit code; stderr: %s", command[0], Files.readString(err))
                    .isZero();
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
