package io.chatops.agent.metrics;

import io.chatops.protocol.DiskUsage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Space on every real filesystem. The mount table is parsed again only when it changed; each
 * filesystem is probed with a deadline by {@link MountProber}, and the mounts that did not answer
 * are reported as this collector's error while the others still count.
 */
final class DiskCollector implements Collector {
    private final ProcFile mountinfo;
    private final MountProber prober;
    private byte[] lastTable = new byte[0];
    private List<Mount> mounts = List.of();

    DiskCollector(ProcFs fs, SpaceProbe probe, Duration mountTimeout) {
        mountinfo = new ProcFile(fs.resolve("proc/self/mountinfo"));
        prober = new MountProber(fs, probe, mountTimeout);
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException, InterruptedException {
        ByteText table = mountinfo.read();
        if (!table.sameContentAs(lastTable, lastTable.length)) {
            mounts = RealFilesystems.select(MountInfoParser.parse(table));
            lastTable = table.copy();
        }
        List<String> problems = new ArrayList<>(0);
        List<DiskUsage> usages = prober.probeAll(mounts, problems);
        sample.disks = usages;
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
    }
}
