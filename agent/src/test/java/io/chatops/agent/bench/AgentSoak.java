package io.chatops.agent.bench;

import io.chatops.agent.FakeHub;
import io.chatops.protocol.Metrics;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the packaged agent against a local stand-in hub at the default 5 s interval and prints what
 * it costs the server: CPU per collection (all threads, including encoding and sending), RSS over
 * time and the delay to the first metrics frame, next to a JVM with the same flags that only
 * sleeps. Run with {@code scripts/bench-agent soak [minutes]}.
 */
public final class AgentSoak {
    /** Where the launcher's JVM flags are, for the idle-JVM baseline: its {@code flags='…'} line(s). */
    static final Path LAUNCHER = Path.of("src/main/packaging/launcher.sh");
    static final Duration WARMUP = Duration.ofSeconds(60);
    static final Duration RSS_EVERY = Duration.ofSeconds(10);
    static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private AgentSoak() {
    }

    public static void main(String[] args) throws Exception {
        Path executable = Path.of(args.length > 0 ? args[0] : "agent/target/chatops-agent").toAbsolutePath();
        Duration measure = Duration.ofMinutes(args.length > 1 ? Long.parseLong(args[1]) : 5);
        Path state = Files.createTempDirectory("chatops-soak");

        try (FakeHub hub = new FakeHub(5).start()) {
            long launched = System.nanoTime();
            ProcessBuilder agentBuilder = new ProcessBuilder(executable.toString(), "-api-url", hub.url(),
                    "-state-dir", state.toString(), "-log-level", "warn")
                    .redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            agentBuilder.environment().put("CHATOPS_API_KEY", "cok_soak_benchmark_key");
            Process agent = agentBuilder.start();
            Process idle = startIdleJvm(state);
            // Interrupted runs must not leave the two JVMs behind.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.destroy();
                idle.destroyForcibly();
            }));
            try {
                hub.await(m -> m instanceof Metrics, Duration.ofSeconds(30));
                long firstFrameMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
                System.out.printf("agent on %s%nfirst metrics frame: %d ms after start%n", agentJava(), firstFrameMillis);
                System.out.printf("warming up for %d s, then measuring for %d min…%n", WARMUP.toSeconds(), measure.toMinutes());
                Thread.sleep(WARMUP.toMillis());

                long agentTicks0 = cpuTicks(agent.pid());
                long idleTicks0 = cpuTicks(idle.pid());
                int samples0 = hub.stored.size();
                long start = System.nanoTime();
                List<Long> rss = new ArrayList<>();
                while (System.nanoTime() - start < measure.toNanos()) {
                    rss.add(rssKib(agent.pid()));
                    Thread.sleep(RSS_EVERY.toMillis());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long agentTicks = cpuTicks(agent.pid()) - agentTicks0;
                long idleTicks = cpuTicks(idle.pid()) - idleTicks0;
                int collections = hub.stored.size() - samples0;
                rss.add(rssKib(agent.pid()));

                double agentMsPerCollection = agentTicks * 1000.0 / CLOCK_TICKS_PER_SECOND / collections;
                double idleMsPer5s = idleTicks * 1000.0 / CLOCK_TICKS_PER_SECOND / (seconds / 5);
                long rssMax = rss.stream().mapToLong(Long::longValue).max().orElseThrow();
                System.out.printf("collections measured: %d in %.0f s (duplicates at the hub: %d)%n",
                        collections, seconds, hub.duplicates.get());
                System.out.printf("agent CPU: %.2f ms per collection (all threads, sampling + encoding + sending)%n",
                        agentMsPerCollection);
                System.out.printf("idle JVM with the same flags: %.2f ms per 5 s%n", idleMsPer5s);
                System.out.printf("agent RSS: first %.1f MiB, max %.1f MiB, last %.1f MiB, growth %+.1f MiB%n",
                        rss.get(0) / 1024.0, rssMax / 1024.0, rss.get(rss.size() - 1) / 1024.0,
                        (rss.get(rss.size() - 1) - rss.get(0)) / 1024.0);
            } finally {
                agent.destroy();
                idle.destroyForcibly();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A JVM with the agent's flags that does nothing but sleep: the floor of any Java agent. */
    private static Process startIdleJvm(Path dir) throws IOException {
        Path source = dir.resolve("Sleep.java");
        Files.writeString(source, "public class Sleep { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(Long.MAX_VALUE); } }");
        List<String> command = new ArrayList<>(List.of(agentJava()));
        command.addAll(launcherFlags());
        command.add(source.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("idle.log").toFile()).start();
    }

    static List<String> launcherFlags() throws IOException {
        Matcher flags = Pattern.compile("(?m)^flags='([^']*)'").matcher(Files.readString(LAUNCHER));
        if (!flags.find()) {
            throw new IOException(LAUNCHER + " has no flags='…' line");
        }
        return List.of(flags.group(1).trim().split("\\s+"));
    }

    /** The java the launcher runs the agent on: CHATOPS_JAVA when set, as scripts/bench-agent does. */
    private static String agentJava() {
        String java = System.getenv("CHATOPS_JAVA");
        return java != null && !java.isBlank() ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** utime + stime of the whole process, every thread that ever ran included. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
