package io.chatops.agent.bench;

import io.chatops.agent.metrics.ProcFs;
import io.chatops.agent.processes.TopProcesses;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a top-processes answer costs the agent on a machine with many processes: starts {@code N}
 * sleeping processes (default 1 000), then answers {@code R} requests by CPU and by memory and
 * prints the CPU time of the answering thread (the half-second window it sleeps costs nothing), beside
 * the CPU that {@code top -b -n 2 -d 0.5} (the same two readings half a second apart) takes for the
 * same list. The first answer is shown apart: nothing of it is compiled yet. Run with
 * {@code scripts/bench-agent top [PROCESSES] [REQUESTS]}, which runs it on the agent's Java and flags.
 */
public final class TopProcessesBenchmark {
    private TopProcessesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Process> sleepers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sleepers.add(new ProcessBuilder("sleep", "3600").start());
            }
            TopProcesses top = new TopProcesses(ProcFs.host(), Clock.systemUTC());
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long coldBefore = threads.getCurrentThreadCpuTime();
            top.take(new ProcessesRequest("first", ProcessesRequest.Sort.CPU, 10)); // the agent's first answer: nothing compiled yet
            double coldMillis = (threads.getCurrentThreadCpuTime() - coldBefore) / 1e6;
            double[] cpuMillis = new double[requests];
            int seen = 0;
            for (int i = 0; i < requests; i++) {
                long before = threads.getCurrentThreadCpuTime();
                ProcessList list = top.take(new ProcessesRequest("p-" + i, i % 2 == 0 ? ProcessesRequest.Sort.CPU : ProcessesRequest.Sort.MEMORY,
                        10));
                cpuMillis[i] = (threads.getCurrentThreadCpuTime() - before) / 1e6;
                seen = list.total();
            }
            double[] topMillis = new double[Math.min(requests, 10)];
            for (int i = 0; i < topMillis.length; i++) {
                topMillis[i] = childCpuMillis(new ProcessBuilder("top", "-b", "-n", "2", "-d", "0.5", "-o", "%CPU", "-w", "512"));
            }
            Arrays.sort(cpuMillis);
            Arrays.sort(topMillis);
            System.out.printf("%d processes; agent CPU for the first answer %.1f ms, then per answer over %d answers: median %.1f ms,"
                    + " min %.1f, max %.1f (target <= 300 ms)%n", seen, coldMillis, requests, cpuMillis[requests / 2], cpuMillis[0],
                    cpuMillis[requests - 1]);
            System.out.printf("top -b -n 2 -d 0.5, the same two readings, %d runs: median %.1f ms of CPU, min %.1f, max %.1f%n",
                    topMillis.length, topMillis[topMillis.length / 2], topMillis[0], topMillis[topMillis.length - 1]);
        } finally {
            sleepers.forEach(Process::destroyForcibly);
        }
    }

    /** The CPU (user and system) that a command took, from this process's children counters once it was reaped. */
    public static double childCpuMillis(ProcessBuilder command) throws IOException, InterruptedException {
        long before = childTicks();
        Process process = command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.waitFor();
        return (childTicks() - before) * 10.0; // clock ticks of 10 ms
    }

    private static long childTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime and cstime: fields 16 and 17
    }
}
