package io.chatops.agent.metrics;

import io.chatops.agent.bench.TopProcessesBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the services collector asks systemd over D-Bus rather than running {@code systemctl
 * --output=json}: a real systemd (a user manager, as in {@link UserSystemd}) with {@code N} service
 * units (default 150, a third of them running), asked {@code R} times each way; prints the CPU each
 * way costs the agent's machine per answer, and per 5 s sample at one answer every 30 s. Run with
 * {@code scripts/bench-agent services [UNITS] [REQUESTS]}.
 */
public final class ServicesCostBenchmark {
    private ServicesCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = Files.createTempDirectory("chatops-services-bench");
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < units; i++) { // running, done (active, exited) and failed, a third each
            files.put("unit-" + i + ".service", switch (i % 3) {
                case 0 -> "[Service]\nExecStart=/bin/sleep 3600\n";
                case 1 -> "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n";
                default -> "[Service]\nExecStart=/bin/false\n";
            });
        }
        try (UserSystemd systemd = new UserSystemd(dir, files)) {
            for (int i = 0; i < units; i++) {
                systemd.systemctl("start", "--no-block", "unit-" + i + ".service");
            }
            Thread.sleep(2_000);
            Fixtures.Ticks ticks = new Fixtures.Ticks();
            ProcFs root = new ProcFs(Files.createDirectories(dir.resolve("root/run/systemd/system")).getParent().getParent().getParent());
            ServicesCollector collector = new ServicesCollector(root, systemd.bus, true, ticks);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            SampleBuilder sample = new SampleBuilder();
            collector.collect(sample); // connects once, as the agent does at its first sample
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < requests; i++) {
                ticks.advance(java.time.Duration.ofSeconds(30));
                collector.collect(sample);
            }
            double dbus = (threads.getCurrentThreadCpuTime() - before) / 1e6 / requests;
            int counted = sample.services.active() + sample.services.inactive() + sample.services.failed() + sample.services.activating();

            int spawns = Math.max(10, requests / 5);
            double childMillis = 0;
            long spawnBefore = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < spawns; i++) {
                ProcessBuilder systemctl = new ProcessBuilder("systemctl", "--user", "list-units", "--type=service", "--all",
                        "--output=json", "--no-pager");
                systemctl.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
                systemctl.environment().put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + systemd.bus);
                childMillis += TopProcessesBenchmark.childCpuMillis(systemctl);
            }
            double spawnMillis = (threads.getCurrentThreadCpuTime() - spawnBefore) / 1e6 / spawns;
            double systemctlMillis = spawnMillis + childMillis / spawns;
            System.out.printf("%d services known to systemd (%d active, %d failed)%n", counted, sample.services.active(),
                    sample.services.failed());
            System.out.printf("D-Bus ListUnitsByPatterns on a kept connection: %.2f ms of CPU per answer, %.3f ms per 5 s sample%n", dbus,
                    dbus / 6);
            System.out.printf("systemctl --output=json started each time: %.2f ms of CPU per answer (%.2f starting it, %.2f systemctl's own),"
                    + " %.3f ms per 5 s sample%n", systemctlMillis, spawnMillis, childMillis / spawns, systemctlMillis / 6);
        }
    }
}
