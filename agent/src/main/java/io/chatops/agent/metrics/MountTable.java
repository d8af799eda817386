package io.chatops.agent.metrics;

import java.io.IOException;
import java.util.List;

/**
 * The real filesystems of the mount table, parsed again only when the table changed. The disk
 * collector reads it once per sample; the disk I/O collector, which runs after it, uses what it read.
 */
final class MountTable {
    private final ProcFile mountinfo;
    private byte[] lastTable = new byte[0];
    private List<Mount> real = List.of();

    MountTable(ProcFs fs) {
        mountinfo = new ProcFile(fs.resolve("proc/self/mountinfo"));
    }

    /** Reads the table again; the real filesystems, one mount each, in the table's order. */
    List<Mount> refresh() throws IOException {
        ByteText table = mountinfo.read();
        if (!table.sameContentAs(lastTable, lastTable.length)) {
            real = RealFilesystems.select(MountInfoParser.parse(table));
            lastTable = table.copy();
        }
        return real;
    }

    /** As of the last refresh; the same list object until the table changes. */
    List<Mount> real() {
        return real;
    }
}
