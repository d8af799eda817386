package io.chatops.agent.metrics;

/**
 * Parses /proc/diskstats: per line {@code major minor name} and the device's cumulative counters,
 * of which every kernel since 2.6 has at least eleven: reads completed, reads merged, sectors read,
 * ms reading, writes completed, writes merged, sectors written, ms writing, I/Os in progress, ms
 * doing I/O, weighted ms. Later kernels append discard and flush counters, which are not used.
 */
final class DiskStatsParser {
    /** Receives one device's counters; {@code previousName} lets the caller keep its String. */
    interface Sink {
        String previousName(int index);

        void accept(int index, long major, long minor, String name, long reads, long sectorsRead, long writes, long sectorsWritten,
                long busyMillis);
    }

    private DiskStatsParser() {
    }

    /** Returns the number of devices. */
    static int parse(ByteText text, Sink sink) {
        int index = 0;
        while (!text.atEnd()) {
            long major = text.nextLong();
            long minor = text.nextLong();
            text.skipSpaces();
            String name = text.nextFieldUpTo(' ', sink.previousName(index));
            long reads = text.nextLong();
            text.skipField(); // reads merged
            long sectorsRead = text.nextLong();
            text.skipField(); // ms reading
            long writes = text.nextLong();
            text.skipField(); // writes merged
            long sectorsWritten = text.nextLong();
            text.skipField(); // ms writing
            text.skipField(); // in progress: a gauge, and briefly negative on some old kernels
            long busyMillis = text.nextLong();
            sink.accept(index++, major, minor, name, reads, sectorsRead, writes, sectorsWritten, busyMillis);
            text.nextLine();
        }
        if (index == 0) {
            // Without a device, a file cut short or garbled would read as a host without disks.
            throw new IllegalStateException("no device in /proc/diskstats");
        }
        return index;
    }
}
