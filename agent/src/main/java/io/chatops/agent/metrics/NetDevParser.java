package io.chatops.agent.metrics;

/**
 * Parses /proc/net/dev: two header lines, then one line per interface with 8 receive and 8
 * transmit counters ({@code eth0: rbytes rpackets rerrs rdrop rfifo rframe rcomp rmulti tbytes …}).
 */
final class NetDevParser {
    /** Receives one interface's counters; {@code previousName} lets the caller keep its String. */
    interface Sink {
        String previousName(int index);

        void accept(int index, String name, long bytesRecv, long packetsRecv, long errorsIn, long bytesSent,
                long packetsSent, long errorsOut);
    }

    private NetDevParser() {
    }

    /** Returns the number of interfaces. */
    static int parse(ByteText text, Sink sink) {
        if (!text.lineStartsWith("Inter-|")) {
            // Without it, a file cut short or garbled would read as a host without interfaces.
            throw new IllegalStateException("/proc/net/dev does not start with its header line");
        }
        text.nextLine();
        text.nextLine();
        int index = 0;
        while (!text.atEnd()) {
            String name = text.nextFieldUpTo(':', sink.previousName(index));
            long bytesRecv = text.nextLong();
            long packetsRecv = text.nextLong();
            long errorsIn = text.nextLong();
            text.skipField(); // drop
            text.skipField(); // fifo
            text.skipField(); // frame
            text.skipField(); // compressed
            text.skipField(); // multicast
            long bytesSent = text.nextLong();
            long packetsSent = text.nextLong();
            long errorsOut = text.nextLong();
            sink.accept(index++, name, bytesRecv, packetsRecv, errorsIn, bytesSent, packetsSent, errorsOut);
            text.nextLine();
        }
        if (index == 0) {
            throw new IllegalStateException("no interface in /proc/net/dev (every network namespace has lo)");
        }
        return index;
    }
}
