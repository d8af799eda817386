package io.chatops.hub.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.cluster.Peers;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What judging one sample costs the alert evaluator, with and without rules: a burst of samples
 * from many servers handed over as the metrics writer hands them, until all are judged. The rules
 * cover every server and none is broken (the steady state: no alert opens, so nothing is written).
 * The difference between {@code rules=0} and {@code rules=20} is the rules' cost. Run with
 * {@code scripts/bench-hub jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EvaluationBenchmark {
    static final int SERVERS = 1_000;
    static final int BURST = 1_000;
    static final String[] METRICS = {"cpu_percent", "memory_percent", "swap_percent", "disk_percent", "load_1", "load_1_per_core",
        "net_recv_bytes_per_second", "net_sent_bytes_per_second"};

    @Param({"0", "20"})
    public int rules;

    private Path dir;
    private Hub hub;
    private AlertEvaluator evaluator;
    private final List<String> serverIds = new ArrayList<>();
    private Metrics previous;
    private long seq = 1;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("chatops-eval-bench");
        hub = TestHubs.start(dir, Clock.systemUTC());
        for (int i = 0; i < SERVERS; i++) {
            serverIds.add(hub.servers().create("bench-" + i, List.of(i % 2 == 0 ? "prod" : "dev")).id());
        }
        Actor operator = new Actor("bench", "bench", Role.OPERATOR, Actor.Source.API, "127.0.0.1");
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < rules; i++) {
            // Thresholds no sample reaches; every other rule is scoped to a tag, as real rule sets are.
            String scope = i % 2 == 0 ? "" : ",\"scope\":{\"tags\":[\"prod\"]}";
            hub.services().alerts().createRule(operator, json.readTree("{\"name\":\"rule " + i + "\",\"kind\":\"metric\",\"metric\":\""
                    + METRICS[i % METRICS.length] + "\",\"op\":\">\",\"threshold\":1e15,\"for_seconds\":60" + scope + "}"));
        }
        AlertStore store = new AlertStore(hub.database().jdbi(), hub.services().notifications());
        evaluator = new AlertEvaluator(store, new SilenceStore(hub.database().jdbi()), hub.servers(), hub.agents(), Clock.systemUTC(),
                alert -> { }, (server, container) -> false, new Notices(URI.create("http://127.0.0.1")),
                BusiestProcesses.none(Clock.systemUTC()), Peers.solo());
        previous = sample(Instant.now().minusSeconds(5));
        evaluator.settle();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        evaluator.close();
        hub.close();
    }

    /** A 2-core server with two filesystems and four interfaces, about the size of a small VM's sample. */
    private Metrics sample(Instant at) {
        long n = seq++;
        return new Metrics(n, at, 5, new CpuUsage(12.5, List.of(10.0, 15.0), 0.4, 0.3, 0.2),
                new MemoryUsage(8L << 30, 3L << 30, 5L << 30, 37.5, 2L << 30, 1L << 20),
                List.of(new DiskUsage("/", "/dev/vda1", "ext4", 100L << 30, 40L << 30, 60L << 30, 40.0),
                        new DiskUsage("/var", "/dev/vdb1", "xfs", 200L << 30, 50L << 30, 150L << 30, 25.0)),
                List.of(new InterfaceCounters("eth0", 1_000 * n, 2_000 * n, n, n, 0, 0), new InterfaceCounters("eth1", n, n, n, n, 0, 0),
                        new InterfaceCounters("docker0", n, n, n, n, 0, 0), new InterfaceCounters("veth1", n, n, n, n, 0, 0)),
                3_600L, null, null);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void judgeBurst() throws InterruptedException {
        Metrics current = sample(Instant.now());
        for (int i = 0; i < BURST; i++) {
            evaluator.sampleStored(serverIds.get(i % SERVERS), current, previous);
        }
        evaluator.settle();
        previous = current;
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {EvaluationBenchmark.class.getName()});
    }
}
