package io.chatops.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listening socket as the kernel sees it: its backlog is what a reconnect wave needs, not the JVM's default 50. */
class AcceptQueueTest {
    @TempDir
    Path dir;

    @Test
    void the_hub_listens_with_a_backlog_for_a_fleet() throws Exception {
        try (Hub hub = TestHubs.start(dir, Clock.systemUTC())) {
            // For a listening socket, ss reports the backlog in its Send-Q column.
            Process ss = new ProcessBuilder("/usr/bin/ss", "-Hltn", "sport = :" + hub.port()).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String[] columns = out.split("\\s+");
            assertThat(columns).as(out).hasSizeGreaterThanOrEqualTo(4);
            assertThat(columns[0]).isEqualTo("LISTEN");
            int somaxconn;
            try (var in = java.nio.file.Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
                somaxconn = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()); // the kernel's cap
            }
            assertThat(Integer.parseInt(columns[2])).as(out).isEqualTo(Math.min(AcceptQueue.SIZE, somaxconn)).isGreaterThan(50);
        }
    }
}
