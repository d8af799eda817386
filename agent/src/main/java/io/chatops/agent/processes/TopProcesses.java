package io.chatops.agent.processes;

import io.chatops.agent.metrics.ProcFs;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The busiest processes, as top shows them: every {@code /proc/<pid>/stat} is read twice, a short
 * window apart, and a process's CPU is the time it was given in between (100 % is one core);
 * memory is its resident size. Only the processes shown have their owner and command line read.
 * Not thread-safe: one request at a time.
 */
public final class TopProcesses {
    static final Duration WINDOW = Duration.ofMillis(500);
    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture the agent runs on. */
    private static final int TICKS_PER_SECOND = 100;

    private final ProcFs fs;
    private final Clock clock;
    private final Duration window;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);
    private final Users users;
    private long pageSize;

    public TopProcesses(ProcFs fs, Clock clock) {
        this(fs, clock, WINDOW);
    }

    TopProcesses(ProcFs fs, Clock clock, Duration window) {
        this.fs = fs;
        this.clock = clock;
        this.window = window;
        this.users = new Users(fs.resolve("etc/passwd"));
    }

    /** The answer to {@code request}, after the measuring window. */
    public ProcessList take(ProcessesRequest request) throws IOException, InterruptedException {
        if (pageSize == 0) {
            pageSize = PageSize.of(fs);
        }
        long before = System.nanoTime();
        Map<Long, ProcStat> first = readAll();
        Thread.sleep(window.toMillis());
        long after = System.nanoTime();
        Map<Long, ProcStat> second = readAll();
        double seconds = (after - before) / 1e9;
        List<Load> loads = new ArrayList<>(second.size());
        second.forEach((key, now) -> {
            ProcStat then = first.get(key);
            long ticks = then == null ? 0 : Math.max(0, now.cpuTicks() - then.cpuTicks());
            loads.add(new Load(now, Math.round(ticks * 10_000.0 / TICKS_PER_SECOND / seconds) / 100.0, now.residentPages() * pageSize));
        });
        loads.sort(request.sort() == ProcessesRequest.Sort.CPU
                ? Comparator.comparingDouble(Load::cpuPercent).thenComparingLong(Load::memoryBytes).reversed()
                : Comparator.comparingLong(Load::memoryBytes).thenComparingDouble(Load::cpuPercent).reversed());
        List<ProcessList.ProcessInfo> shown = new ArrayList<>(request.limit());
        for (Load load : loads) {
            if (shown.size() == request.limit()) {
                break;
            }
            Path dir = fs.resolve("proc/" + load.stat().pid());
            shown.add(new ProcessList.ProcessInfo(load.stat().pid(), users.name(owner(dir)), command(dir, load.stat().comm()),
                    load.cpuPercent(), load.memoryBytes()));
        }
        return new ProcessList(request.id(), clock.instant(), (int) Math.max(1, Math.round(seconds * 1000)), second.size(), shown);
    }

    private record Load(ProcStat stat, double cpuPercent, long memoryBytes) {
    }

    /** Every process's stat, by pid and start time: a pid reused within the window is another process. */
    private Map<Long, ProcStat> readAll() throws IOException {
        Map<Long, ProcStat> all = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fs.resolve("proc"), TopProcesses::isPid)) {
            for (Path dir : entries) {
                int length = read(dir.resolve("stat"));
                ProcStat stat = length < 0 ? null : ProcStat.parse(buffer.array(), length);
                if (stat != null) {
                    all.put(((long) stat.pid() << 32) ^ stat.startTicks(), stat);
                }
            }
        }
        return all;
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() < 10;
    }

    /** The start of {@code file} into the buffer; -1 when it is gone (the process exited). */
    private int read(Path file) {
        buffer.clear();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // a stat line is far shorter than the buffer; a command line is cut at its size
            }
            return buffer.position();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The effective uid of the process, from the Uid line of its status; -1 when unknown. */
    private long owner(Path dir) {
        int length = read(dir.resolve("status"));
        String status = length < 0 ? "" : new String(buffer.array(), 0, length, StandardCharsets.UTF_8);
        int line = status.indexOf("\nUid:");
        if (line < 0) {
            return -1;
        }
        // "Uid:\treal\teffective\tsaved\tfs": the second number
        int i = line + 5;
        for (int number = 0; number < 2; number++) {
            while (i < status.length() && (status.charAt(i) == '\t' || status.charAt(i) == ' ')) {
                i++;
            }
            int start = i;
            while (i < status.length() && Character.isDigit(status.charAt(i))) {
                i++;
            }
            if (number == 1 && i > start && i - start < 11) {
                return Long.parseLong(status, start, i, 10);
            }
        }
        return -1;
    }

    /** The command line with its arguments apart by spaces, cut to fit; {@code [comm]} for kernel threads, which have none. */
    private String command(Path dir, String comm) {
        int length = read(dir.resolve("cmdline"));
        StringBuilder text = new StringBuilder();
        if (length > 0) {
            for (char c : new String(buffer.array(), 0, length, StandardCharsets.UTF_8).toCharArray()) {
                text.append(c < ' ' || c == 0x7f ? ' ' : c); // NULs between arguments, and no line breaks or escapes
            }
        }
        String command = text.toString().strip();
        if (command.isEmpty()) {
            command = "[" + (comm.isBlank() ? "?" : comm.strip()) + "]";
        }
        return command.length() > ProcessList.ProcessInfo.MAX_COMMAND
                ? command.substring(0, ProcessList.ProcessInfo.MAX_COMMAND - 1) + "…" : command;
    }
}
