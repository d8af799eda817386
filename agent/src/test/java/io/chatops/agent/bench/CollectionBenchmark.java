package io.chatops.agent.bench;

import io.chatops.agent.metrics.ProcFs;
import io.chatops.agent.metrics.Sampler;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.MessageCodec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One metrics collection of this machine, as the agent does it every interval: read and parse
 * /proc, statvfs every real filesystem, build the sample and encode it as a frame. Run with
 * {@code scripts/bench-agent jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1"})
public class CollectionBenchmark {
    private final MessageCodec codec = new MessageCodec();
    private final ContainerCounts containers = new ContainerCounts(3, 1);
    private Sampler sampler;
    private long seq;

    @Setup
    public void setUp() throws IOException {
        sampler = Sampler.forHost(ProcFs.host(), Clock.systemUTC(), true, java.nio.file.Path.of("/run/dbus/system_bus_socket"));
    }

    @Benchmark
    public String collectAndEncode() {
        return codec.encode(sampler.sample(++seq, Duration.ofSeconds(5), containers));
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {CollectionBenchmark.class.getName()});
    }
}
