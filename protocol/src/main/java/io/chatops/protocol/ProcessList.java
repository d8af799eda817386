package io.chatops.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Agent to hub, the answer to {@link ProcessesRequest}: the busiest processes, in the order asked
 * for, taken at {@code takenAt}; CPU is measured over {@code windowMillis} before it (100 % is one
 * core), and {@code total} is how many processes there were.
 */
public record ProcessList(
        String id,
        Instant takenAt,
        int windowMillis,
        int total,
        List<ProcessInfo> processes) implements Message {

    public ProcessList {
        Require.text("id", id);
        Require.present("taken_at", takenAt);
        Require.between("window_ms", windowMillis, 1, 60_000);
        Require.nonNegative("total", total);
        processes = Require.list("processes", processes);
        if (processes.size() > ProcessesRequest.MAX_LIMIT) {
            throw new InvalidFieldException("processes", "holds more than " + ProcessesRequest.MAX_LIMIT + " processes");
        }
    }

    /** One process: its id, owner, command line (cut at {@link #MAX_COMMAND} characters) and load. */
    public record ProcessInfo(
            int pid,
            String user,
            String command,
            double cpuPercent,
            long memoryBytes) {

        public static final int MAX_COMMAND = 256;

        public ProcessInfo {
            Require.between("pid", pid, 1, Integer.MAX_VALUE);
            Require.text("user", user);
            Require.text("command", command);
            if (command.length() > MAX_COMMAND) {
                throw new InvalidFieldException("command", "is longer than " + MAX_COMMAND + " characters");
            }
            Require.nonNegative("cpu_percent", cpuPercent);
            Require.nonNegative("memory_bytes", memoryBytes);
        }
    }
}
