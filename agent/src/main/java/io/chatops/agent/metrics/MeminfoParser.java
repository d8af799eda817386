package io.chatops.agent.metrics;

/**
 * Parses /proc/meminfo ({@code MemTotal:  24684092 kB}) into {@link MemInfo}. The fields needed are
 * among the first twenty of about fifty lines: reading stops once all are found.
 */
final class MeminfoParser {
    private static final long KIB = 1024;
    private static final int FIELDS = 7;

    private MeminfoParser() {
    }

    static void parse(ByteText text, MemInfo out) {
        out.hasAvailable = false;
        boolean sawTotal = false;
        int found = 0;
        while (!text.atEnd() && found < FIELDS) {
            if (text.lineStartsWith("MemTotal:")) {
                out.totalBytes = value(text);
                sawTotal = true;
            } else if (text.lineStartsWith("MemFree:")) {
                out.freeBytes = value(text);
            } else if (text.lineStartsWith("MemAvailable:")) {
                out.availableBytes = value(text);
                out.hasAvailable = true;
            } else if (text.lineStartsWith("Buffers:")) {
                out.buffersBytes = value(text);
            } else if (text.lineStartsWith("Cached:")) {
                out.cachedBytes = value(text);
            } else if (text.lineStartsWith("SwapTotal:")) {
                out.swapTotalBytes = value(text);
            } else if (text.lineStartsWith("SwapFree:")) {
                out.swapFreeBytes = value(text);
            } else {
                text.nextLine();
                continue;
            }
            found++;
            text.nextLine();
        }
        if (!sawTotal) {
            throw new IllegalStateException("no MemTotal in /proc/meminfo");
        }
    }

    private static long value(ByteText text) {
        text.skipPast(':');
        return text.nextLong() * KIB;
    }
}
