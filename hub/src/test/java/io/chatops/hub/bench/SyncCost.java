package io.chatops.hub.bench;

import io.chatops.hub.db.Database;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * What syncing each SQLite commit costs the metrics writer: the same bursts of samples (1, 100 and
 * 1 000 at once, as from a quiet and a busy fleet) stored through the hub's own writer into two
 * databases side by side in one run, one as the hub opens it ({@code synchronous=FULL}) and one set
 * back to WAL's {@code NORMAL}, in alternating rounds so that the disk's moods fall on both.
 * Run with {@code scripts/bench-faults sync [DIR]}; DIR (the current directory by default) should
 * be on the disk a hub's data would live on.
 */
public final class SyncCost {
    private static final int[] BURSTS = {1, 100, 1_000};
    private static final int ROUNDS = 10;

    private SyncCost() {
    }

    record Target(String name, Database database, MetricsStore store, List<String> servers) {
    }

    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "."), "chatops-sync-cost");
        List<Target> targets = List.of(open("FULL (the hub)", base.resolve("full"), false), open("NORMAL", base.resolve("normal"), true));
        Map<String, List<Double>> millis = new HashMap<>();
        long[] seq = new long[1];
        List<Metrics> shapes = SyntheticSamples.of(7, Instant.now(), 1_000, 4, 2, 3);
        for (int round = 0; round < ROUNDS; round++) {
            for (int burst : BURSTS) {
                int repeats = Math.max(5, 200 / burst);
                for (int r = 0; r < repeats; r++) {
                    seq[0]++;
                    for (Target target : targets) {
                        millis.computeIfAbsent(target.name() + " " + burst, k -> new ArrayList<>()).add(store(target, burst, seq[0], shapes));
                    }
                }
            }
        }
        System.out.printf("sqlite commits in %s, %d rounds alternating%n", base, ROUNDS);
        System.out.printf("%-16s %8s %12s %12s %12s%n", "synchronous", "burst", "p50 ms", "p90 ms", "µs/sample");
        for (int burst : BURSTS) {
            for (Target target : targets) {
                double[] sorted = millis.get(target.name() + " " + burst).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double p50 = sorted[sorted.length / 2];
                System.out.printf("%-16s %8d %12.2f %12.2f %12.1f%n", target.name(), burst, p50, sorted[(int) (sorted.length * 0.9)],
                        p50 * 1000 / burst);
            }
        }
        for (Target target : targets) {
            target.store().close();
            target.database().close();
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Target open(String name, Path dir, boolean normal) throws Exception {
        Files.createDirectories(dir);
        Database database = Database.open(null, null, null, dir);
        if (normal) {
            database.jdbi().useHandle(h -> h.execute("PRAGMA synchronous = NORMAL")); // the pool's one connection keeps it
        }
        ServerStore servers = new ServerStore(database.jdbi(), Clock.systemUTC());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(servers.create("server-" + i, List.of()).id());
        }
        return new Target(name, database, new MetricsStore(database.jdbi(), servers, Clock.systemUTC()), ids);
    }

    /** Stores one sample of each of {@code burst} servers at once; the milliseconds until all are stored. */
    private static double store(Target target, int burst, long seq, List<Metrics> shapes) {
        long start = System.nanoTime();
        CompletableFuture<?>[] stored = new CompletableFuture<?>[burst];
        Instant now = Instant.now();
        for (int i = 0; i < burst; i++) {
            Metrics shape = shapes.get(i);
            Metrics sample = new Metrics(seq, now, shape.intervalSeconds(), shape.cpu(), shape.memory(), shape.disks(), shape.network(),
                    shape.uptimeSeconds(), shape.containers(), shape.errors());
            stored[i] = target.store().storeAsync(target.servers().get(i), sample);
        }
        CompletableFuture.allOf(stored).join();
        return (System.nanoTime() - start) / 1e6;
    }
}
