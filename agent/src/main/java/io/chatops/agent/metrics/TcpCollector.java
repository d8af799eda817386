package io.chatops.agent.metrics;

import io.chatops.protocol.TcpStats;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.LongSupplier;

/**
 * TCP connections of the agent's network namespace: established ones and opens and retransmitted
 * segments a second from the counters of /proc/net/snmp (which count IPv4 and IPv6 together), and
 * sockets in use, in TIME_WAIT and orphaned from /proc/net/sockstat (and sockstat6 for IPv6 sockets
 * in use). The counters are first read on construction, so that the first sample has rates too;
 * a sample after a counter went down has none.
 */
final class TcpCollector implements Collector {
    private static final String[] WANTED = {"CurrEstab", "ActiveOpens", "PassiveOpens", "RetransSegs"};

    private final ProcFile snmp;
    private final ProcFile sockstat;
    private final ProcFile sockstat6;
    private final LongSupplier nanoTime;
    /** Where each of {@link #WANTED} is on the Tcp lines, from the header line; -1 when missing. */
    private final int[] columns = new int[WANTED.length];
    private final long[] counters = new long[WANTED.length];
    private final long[] previous = new long[WANTED.length];
    private long previousNanos;
    private boolean hasPrevious;
    private final long[] sockets = new long[3];
    private final long[] sockets6 = new long[3];

    TcpCollector(ProcFs fs, LongSupplier nanoTime) {
        snmp = new ProcFile(fs.resolve("proc/net/snmp"));
        sockstat = new ProcFile(fs.resolve("proc/net/sockstat"));
        sockstat6 = Files.exists(fs.resolve("proc/net/sockstat6")) ? new ProcFile(fs.resolve("proc/net/sockstat6")) : null;
        this.nanoTime = nanoTime;
        try {
            long now = nanoTime.getAsLong();
            readSnmp(snmp.read());
            keep(now);
        } catch (IOException | RuntimeException e) {
            hasPrevious = false; // the first sample then reports the error, and the one after it the rates
        }
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        long now = nanoTime.getAsLong();
        readSnmp(snmp.read());
        readSockstat(sockstat.read(), "TCP:", sockets, true);
        long inUse = sockets[0];
        if (sockstat6 != null) {
            sockets6[0] = 0;
            readSockstat(sockstat6.read(), "TCP6:", sockets6, false);
            inUse += sockets6[0];
        }
        Double active = null;
        Double passive = null;
        Double retransmits = null;
        double seconds = (now - previousNanos) / 1e9;
        if (hasPrevious && seconds > 0 && counters[1] >= previous[1] && counters[2] >= previous[2] && counters[3] >= previous[3]) {
            active = Rates.perSecond(counters[1] - previous[1], seconds);
            passive = Rates.perSecond(counters[2] - previous[2], seconds);
            retransmits = Rates.perSecond(counters[3] - previous[3], seconds);
        }
        keep(now);
        sample.tcp = new TcpStats(counters[0], inUse, sockets[2], sockets[1], active, passive, retransmits);
    }

    private void keep(long now) {
        System.arraycopy(counters, 0, previous, 0, counters.length);
        previousNanos = now;
        hasPrevious = true;
    }

    /** The Tcp header line (names) and the line after it (values): the wanted values go into {@link #counters}. */
    private void readSnmp(ByteText text) {
        while (!text.atEnd() && !text.lineStartsWith("Tcp:")) {
            text.nextLine();
        }
        if (text.atEnd()) {
            throw new IllegalStateException("/proc/net/snmp has no Tcp lines");
        }
        text.skip(4);
        java.util.Arrays.fill(columns, -1);
        int column = 0;
        while (!text.atLineEnd()) {
            for (int w = 0; w < WANTED.length; w++) {
                if (text.fieldIs(WANTED[w])) {
                    columns[w] = column;
                }
            }
            text.skipField();
            column++;
        }
        text.nextLine();
        if (!text.lineStartsWith("Tcp:")) {
            throw new IllegalStateException("/proc/net/snmp has a Tcp header line without values");
        }
        text.skip(4);
        for (int w = 0; w < WANTED.length; w++) {
            if (columns[w] < 0) {
                throw new IllegalStateException("/proc/net/snmp has no " + WANTED[w]);
            }
        }
        for (int c = 0; c < column; c++) {
            int wanted = indexOf(c);
            if (wanted >= 0) {
                counters[wanted] = text.nextLong();
            } else {
                text.skipField(); // MaxConn is -1, the others are not needed
            }
        }
    }

    private int indexOf(int column) {
        for (int w = 0; w < columns.length; w++) {
            if (columns[w] == column) {
                return w;
            }
        }
        return -1;
    }

    /**
     * {@code TCP: inuse 2 orphan 0 tw 83 alloc 2 mem 0}: in use, orphaned and TIME_WAIT into
     * {@code into}; with {@code required}, a file without the line is an error.
     */
    private static void readSockstat(ByteText text, String prefix, long[] into, boolean required) {
        while (!text.atEnd() && !text.lineStartsWith(prefix)) {
            text.nextLine();
        }
        if (text.atEnd()) {
            if (required) {
                throw new IllegalStateException("/proc/net/sockstat has no " + prefix + " line");
            }
            return;
        }
        text.skip(prefix.length());
        while (!text.atLineEnd()) {
            int slot = text.fieldIs("inuse") ? 0 : text.fieldIs("orphan") ? 1 : text.fieldIs("tw") ? 2 : -1; // alloc, mem: not used
            text.skipField();
            long value = text.nextLong();
            if (slot >= 0) {
                into[slot] = value;
            }
        }
    }
}
