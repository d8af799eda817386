package io.chatops.agent.processes;

import java.nio.charset.StandardCharsets;

/**
 * The fields of {@code /proc/<pid>/stat} that tell a process's load: {@code pid (comm) state …}
 * with CPU time in clock ticks (fields 14 and 15), the start time that tells a reused pid from the
 * process it replaced (22) and resident pages (24). The command name may hold spaces and
 * parentheses, so fields are counted from its last {@code )}.
 */
record ProcStat(int pid, String comm, long cpuTicks, long startTicks, long residentPages) {

    /** Null when the bytes are not a stat line (the process went away between listing and reading). */
    static ProcStat parse(byte[] bytes, int length) {
        int open = indexOf(bytes, length, (byte) '(', 0);
        int close = lastIndexOf(bytes, length, (byte) ')');
        if (open < 1 || close < open) {
            return null;
        }
        long[] fields = new long[24];
        int field = 3; // the state is field 3, after ")"
        int i = close + 2;
        while (i < length && field <= 24) {
            int start = i;
            while (i < length && bytes[i] != ' ' && bytes[i] != '\n') {
                i++;
            }
            if (field >= 4) {
                fields[field - 1] = number(bytes, start, i);
            }
            field++;
            i++;
        }
        if (field <= 24) {
            return null;
        }
        int pid = (int) number(bytes, 0, open - 1);
        String comm = new String(bytes, open + 1, close - open - 1, StandardCharsets.UTF_8);
        return new ProcStat(pid, comm, fields[13] + fields[14], fields[21], Math.max(0, fields[23]));
    }

    private static long number(byte[] bytes, int from, int to) {
        long value = 0;
        boolean negative = from < to && bytes[from] == '-';
        for (int i = negative ? from + 1 : from; i < to; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return 0;
            }
            value = value * 10 + (bytes[i] - '0');
        }
        return negative ? -value : value;
    }

    private static int indexOf(byte[] bytes, int length, byte b, int from) {
        for (int i = from; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] bytes, int length, byte b) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
