package io.chatops.hub.bench;

import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.metrics.ContainerLoad;
import io.chatops.hub.metrics.DayOfBlocks;
import io.chatops.hub.metrics.Sample;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Bytes per stored value at full 5-s detail, side by side with Prometheus in one run: the same
 * day of series for SERVERS servers (2 cores, a filesystem, 4 interfaces, as a small VM reports)
 * is sent to the hub through the agent protocol, as agents replaying their outbox would, and
 * written as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}; once the
 * hub has closed every hour into blocks, both sizes on disk are compared. Then one day of a large
 * server (16 cores, 8 filesystems, 12 interfaces) gives bytes per server-day. Run with
 * {@code scripts/bench-hub storage [SERVERS] [HOURS]}.
 */
public final class StorageSize {
    private static final MessageCodec CODEC = new MessageCodec();

    private StorageSize() {
    }

    record Profile(String name, int cores, int disks, int interfaces, int containers) {
    }

    public static void main(String[] args) throws Exception {
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        Profile small = new Profile("small", 2, 1, 4, 0);
        Profile large = new Profile("large", 16, 8, 12, 20);
        // A day that ended over an hour ago: every hour of it is closed by the time it is stored.
        Instant start = Instant.ofEpochMilli(Math.floorDiv(Instant.now().minus(Duration.ofHours(hours + 2)).toEpochMilli(), 3_600_000L)
                * 3_600_000L);
        int perServer = hours * 720;
        List<List<Metrics>> fleet = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            fleet.add(SyntheticSamples.of(s, start, perServer, small.cores(), small.disks(), small.interfaces()));
        }
        long values = fleet.stream().flatMap(List::stream).mapToLong(SyntheticSamples::values).sum();

        Path work = Files.createTempDirectory("chatops-storage");
        long hubBlocks;
        long hubFile;
        long hubFileVacuumed;
        double ingestSeconds;
        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", work.resolve("hub").toString(),
                "--keep-raw", "30d"}, Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "storage bench admin password"), Clock.systemUTC())) {
            long ingestStart = System.nanoTime();
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int s = 0; s < servers; s++) {
                String id = hub.servers().create("small-" + s, List.of()).id();
                sending.add(send(hub, hub.servers().createKey(id, "bench", null).key(), fleet.get(s)));
            }
            sending.forEach(CompletableFuture::join);
            ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
            awaitClosed(hub);
            hubBlocks = hub.database().jdbi().withHandle(h -> h.createQuery("SELECT SUM(LENGTH(data)) FROM metrics_blocks").mapTo(Long.class).one());
            hub.database().jdbi().useHandle(h -> h.execute("PRAGMA wal_checkpoint(TRUNCATE)"));
            hubFile = Files.size(work.resolve("hub").resolve("chatops.db"));
            hub.database().jdbi().useHandle(h -> h.execute("VACUUM"));
            hubFileVacuumed = Files.size(work.resolve("hub").resolve("chatops.db"));
        }

        Path openMetrics = work.resolve("day.om.txt");
        writeOpenMetrics(openMetrics, fleet);
        Path tsdb = work.resolve("prometheus");
        long promStart = System.nanoTime();
        Process promtool = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics", "--quiet", openMetrics.toString(),
                tsdb.toString()).redirectErrorStream(true).start();
        String promOut = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (promtool.waitFor() != 0) {
            throw new IllegalStateException("promtool failed: " + promOut);
        }
        double promSeconds = (System.nanoTime() - promStart) / 1e9;
        long promTotal = sizeOf(tsdb, p -> true);
        long promChunks = sizeOf(tsdb, p -> p.getParent() != null && p.getParent().getFileName().toString().equals("chunks"));

        System.out.printf("%d servers x %d h at 5 s (%s: %d cores, %d filesystem, %d interfaces): %d samples, %d values%n", servers, hours,
                small.name(), small.cores(), small.disks(), small.interfaces(), (long) servers * perServer, values);
        System.out.printf("hub: blocks %.2f bytes/value (%d bytes); database file %.2f bytes/value after checkpoint (%d bytes),"
                + " %.2f after VACUUM (%d bytes); sent through the agent protocol in %.1f s%n", (double) hubBlocks / values, hubBlocks,
                (double) hubFile / values, hubFile, (double) hubFileVacuumed / values, hubFileVacuumed, ingestSeconds);
        System.out.printf("prometheus (promtool %s, 2 h blocks): %.2f bytes/value on disk (%d bytes), chunks alone %.2f (%d bytes);"
                + " %.1f s%n", promtoolVersion(), (double) promTotal / values, promTotal, (double) promChunks / values, promChunks, promSeconds);
        System.out.printf("hub blocks / prometheus on disk: %.2f; hub database after VACUUM / prometheus on disk: %.2f%n",
                (double) hubBlocks / promTotal, (double) hubFileVacuumed / promTotal);

        // Bytes per server-day of a large server (one server: the file would mostly be pages of other tables).
        int samplesADay = 24 * 720;
        List<Metrics> day = SyntheticSamples.of(99, start, samplesADay, large.cores(), large.disks(), large.interfaces());
        List<List<ContainerLoad>> loads = SyntheticSamples.containerLoads(99, samplesADay, large.containers());
        List<Sample> stored = new ArrayList<>();
        for (int i = 0; i < samplesADay; i++) {
            stored.add(new Sample(day.get(i), loads.get(i)));
        }
        long largeValues = day.stream().mapToLong(SyntheticSamples::values).sum() + 2L * large.containers() * samplesADay;
        DayOfBlocks blocks = DayOfBlocks.of(stored);
        System.out.printf("large server (%d cores, %d filesystems, %d interfaces, %d containers): %d values a day; raw blocks %d KiB"
                + " (%.2f bytes/value), minute series %d KiB, hour series %d KiB: %d KiB a server-day in all%n", large.cores(),
                large.disks(), large.interfaces(), large.containers(), largeValues, blocks.raw() / 1024,
                (double) blocks.raw() / largeValues, blocks.minuteSeries() / 1024, blocks.hourSeries() / 1024,
                (blocks.raw() + blocks.minuteSeries() + blocks.hourSeries()) / 1024);
        System.exit(0);
    }

    /** Sends one server's samples as its agent would replay them: in order, at most 1 000 unacknowledged. */
    static CompletableFuture<Void> send(Hub hub, String key, List<Metrics> samples) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> authenticated = new CompletableFuture<>();
        Semaphore window = new Semaphore(1_000);
        int[] acked = {0};
        StringBuilder partial = new StringBuilder();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + hub.port() + "/api/v1/agents/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                Message message = CODEC.decode(partial.toString());
                                if (message instanceof AuthSuccess) {
                                    authenticated.complete(null);
                                } else if (message instanceof MetricsAck) {
                                    window.release();
                                    if (++acked[0] == samples.size()) {
                                        done.complete(null);
                                    }
                                }
                            } catch (Exception e) {
                                done.completeExceptionally(e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();
        socket.sendText(CODEC.encode(new Auth(key, 1, new AgentInfo("1.0.0", "bench", null, "Debian GNU/Linux 12", "6.1.0", "amd64",
                "bench", 2, 16L << 30, null, null, List.of("metrics")))), true).join();
        authenticated.join();
        Thread.ofVirtual().start(() -> {
            try {
                for (Metrics sample : samples) {
                    window.acquire();
                    socket.sendText(CODEC.encode(sample), true).join();
                }
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    static void awaitClosed(Hub hub) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_open").mapTo(Long.class).one()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hub did not close the day's hours within 10 minutes");
            }
            Thread.sleep(200);
        }
    }

    /** The same values as OpenMetrics text: one family after another, one series per server and part. */
    static void writeOpenMetrics(Path file, List<List<Metrics>> fleet) throws IOException {
        record Family(String name, Function<Metrics, List<Map.Entry<String, Double>>> values) {
        }
        List<Family> families = List.of(
                new Family("cpu_usage_percent", m -> List.of(Map.entry("", m.cpu().usagePercent()))),
                new Family("cpu_core_usage_percent", m -> java.util.stream.IntStream.range(0, m.cpu().perCorePercent().size())
                        .mapToObj(c -> Map.entry(",core=\"" + c + "\"", m.cpu().perCorePercent().get(c))).toList()),
                new Family("load1", m -> List.of(Map.entry("", m.cpu().load1()))),
                new Family("load5", m -> List.of(Map.entry("", m.cpu().load5()))),
                new Family("load15", m -> List.of(Map.entry("", m.cpu().load15()))),
                new Family("memory_total_bytes", m -> List.of(Map.entry("", (double) m.memory().totalBytes()))),
                new Family("memory_used_bytes", m -> List.of(Map.entry("", (double) m.memory().usedBytes()))),
                new Family("memory_available_bytes", m -> List.of(Map.entry("", (double) m.memory().availableBytes()))),
                new Family("memory_usage_percent", m -> List.of(Map.entry("", m.memory().usagePercent()))),
                new Family("swap_total_bytes", m -> List.of(Map.entry("", (double) m.memory().swapTotalBytes()))),
                new Family("swap_used_bytes", m -> List.of(Map.entry("", (double) m.memory().swapUsedBytes()))),
                new Family("disk_total_bytes", m -> m.disks().stream().map(d -> Map.entry(",mount=\"" + d.mount() + "\"", (double) d.totalBytes())).toList()),
                new Family("disk_used_bytes", m -> m.disks().stream().map(d -> Map.entry(",mount=\"" + d.mount() + "\"", (double) d.usedBytes())).toList()),
                new Family("disk_free_bytes", m -> m.disks().stream().map(d -> Map.entry(",mount=\"" + d.mount() + "\"", (double) d.freeBytes())).toList()),
                new Family("disk_usage_percent", m -> m.disks().stream().map(d -> Map.entry(",mount=\"" + d.mount() + "\"", d.usagePercent())).toList()),
                new Family("net_sent_bytes", m -> m.network().stream().map(n -> Map.entry(",interface=\"" + n.name() + "\"", (double) n.bytesSent())).toList()),
                new Family("net_recv_bytes", m -> m.network().stream().map(n -> Map.entry(",interface=\"" + n.name() + "\"", (double) n.bytesRecv())).toList()),
                new Family("net_sent_packets", m -> m.network().stream().map(n -> Map.entry(",interface=\"" + n.name() + "\"", (double) n.packetsSent())).toList()),
                new Family("net_recv_packets", m -> m.network().stream().map(n -> Map.entry(",interface=\"" + n.name() + "\"", (double) n.packetsRecv())).toList()),
                new Family("net_errors_in", m -> m.network().stream().map(n -> Map.entry(",interface=\"" + n.name() + "\"", (double) n.errorsIn())).toList()),
                new Family("net_errors_out", m -> m.network().stream().map(n -> Map.entry(",interface=\"" + n.name() + "\"", (double) n.errorsOut())).toList()),
                new Family("uptime_seconds", m -> List.of(Map.entry("", (double) m.uptimeSeconds()))),
                new Family("containers_running", m -> List.of(Map.entry("", (double) m.containers().running()))),
                new Family("containers_stopped", m -> List.of(Map.entry("", (double) m.containers().stopped()))));
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (Family family : families) {
                out.write("# TYPE " + family.name() + " gauge\n");
                for (int s = 0; s < fleet.size(); s++) {
                    // A series' samples must come in time order, so each series is written whole before the next.
                    List<Metrics> samples = fleet.get(s);
                    int parts = family.values().apply(samples.get(0)).size();
                    for (int part = 0; part < parts; part++) {
                        for (Metrics m : samples) {
                            Map.Entry<String, Double> value = family.values().apply(m).get(part);
                            out.write(family.name() + "{server=\"small-" + s + "\"" + value.getKey() + "} " + value.getValue() + " "
                                    + m.timestamp().toEpochMilli() / 1000 + "." + String.format("%03d", m.timestamp().toEpochMilli() % 1000) + "\n");
                        }
                    }
                }
            }
            out.write("# EOF\n");
        }
    }

    static long sizeOf(Path dir, java.util.function.Predicate<Path> which) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(which).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static String promtoolVersion() throws IOException, InterruptedException {
        Process version = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        return out.lines().findFirst().orElse("?").replaceAll(".*version (\\S+).*", "$1");
    }
}
