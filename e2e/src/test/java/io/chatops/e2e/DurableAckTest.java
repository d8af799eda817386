package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledgement means the sample is on disk, not only in the operating system's cache: the
 * hub runs under {@code strace}, an agent sends each sample once the previous one was acknowledged,
 * and between two acknowledgements the trace must show a completed sync of the database's
 * write-ahead log. SQLite's WAL with {@code synchronous=NORMAL} fails this test: it syncs only at
 * checkpoints.
 */
class DurableAckTest {
    private static final int SAMPLES = 12;
    private static final Pattern ACK = Pattern.compile("metrics_ack\\\\\",\\\\\"seq\\\\\":(\\d+)");
    private static final Pattern SYNC_OF_LOG = Pattern.compile("^(\\d+) +f(?:data)?sync\\(\\d+<[^>]*chatops\\.db-wal>\\)");
    private static final Pattern SYNC_STARTED = Pattern.compile("^(\\d+) +f(?:data)?sync\\(\\d+<[^>]*chatops\\.db-wal> <unfinished");
    private static final Pattern SYNC_RESUMED = Pattern.compile("^(\\d+) +<\\.\\.\\. f(?:data)?sync resumed>");

    @TempDir
    Path dir;

    @Test
    void every_acknowledgement_follows_a_sync_of_the_write_ahead_log() throws Exception {
        Path trace = dir.resolve("strace.log");
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        List<String> strace = List.of("strace", "-f", "-qq", "-y", "-s", "256", "-e", "trace=fsync,fdatasync,write,writev,sendto,sendmsg",
                "-e", "signal=none", "-o", trace.toString());
        try (RealHub hub = new RealHub(dir, strace, List.of())) {
            String key = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"durable\"}", 201).path("api_key").path("key").asText();
            URI uri = URI.create(hub.url().replace("http", "ws") + "/api/v1/agents/ws");
            SimulatedAgent agent = new SimulatedAgent(key, "durable", uri, HttpClient.newHttpClient(), timers, nanos -> { });
            agent.connect();
            eventually("the agent is connected", agent::authenticated);
            for (long seq = 1; seq <= SAMPLES; seq++) {
                agent.sample();
                long sent = seq;
                eventually("sample " + sent + " is acknowledged", () -> agent.acked.contains(sent));
            }
            agent.stop();
        } finally {
            timers.shutdownNow();
        }

        Map<Long, Integer> ackLine = new HashMap<>();
        List<Integer> syncLines = new ArrayList<>();
        Map<String, Boolean> syncOfLogUnfinished = new HashMap<>();
        List<String> lines = Files.readAllLines(trace);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher ack = ACK.matcher(line);
            if (ack.find()) {
                ackLine.putIfAbsent(Long.parseLong(ack.group(1)), i);
            }
            Matcher started = SYNC_STARTED.matcher(line);
            Matcher resumed = SYNC_RESUMED.matcher(line);
            if (started.find()) {
                syncOfLogUnfinished.put(started.group(1), true);
            } else if (resumed.find() && syncOfLogUnfinished.remove(resumed.group(1)) != null && line.endsWith("= 0")) {
                syncLines.add(i);
            } else if (SYNC_OF_LOG.matcher(line).find() && line.endsWith("= 0")) {
                syncLines.add(i);
            }
        }
        assertThat(ackLine).as("acknowledgements written to the agent's socket, in %s", trace).hasSize(SAMPLES);
        for (long seq = 2; seq <= SAMPLES; seq++) {
            int previousAck = ackLine.get(seq - 1);
            int thisAck = ackLine.get(seq);
            assertThat(syncLines).as("a completed sync of chatops.db-wal between the acknowledgements of samples %d and %d (%s)", seq - 1,
                    seq, trace).anyMatch(line -> line > previousAck && line < thisAck);
        }
    }
}
