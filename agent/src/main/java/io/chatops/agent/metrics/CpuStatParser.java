package io.chatops.agent.metrics;

/** Parses /proc/stat into {@link CpuTimes}: the {@code cpu} lines and {@code btime}. */
final class CpuStatParser {
    private CpuStatParser() {
    }

    static void parse(ByteText text, CpuTimes out) {
        out.slots = 0;
        while (!text.atEnd()) {
            if (text.lineStartsWith("cpu")) {
                text.skipField(); // "cpu" or "cpuN"; the kernel lists cores in order
                out.ensureSlots(out.slots + 1);
                long user = text.nextLong();
                long nice = text.nextLong();
                long system = text.nextLong();
                long idle = text.nextLong();
                long iowait = text.nextLong();
                long irq = text.nextLong();
                long softirq = text.nextLong();
                long steal = text.nextLong();
                // guest and guest_nice are already included in user and nice.
                long busy = user + nice + system + irq + softirq + steal;
                out.busy[out.slots] = busy;
                out.total[out.slots] = busy + idle + iowait;
                out.slots++;
            } else if (text.lineStartsWith("btime ")) {
                text.skipField();
                out.bootTimeEpochSeconds = text.nextLong();
            }
            text.nextLine();
        }
        if (out.slots == 0) {
            throw new IllegalStateException("no cpu lines in /proc/stat");
        }
    }
}
