package io.chatops.agent.metrics;

import io.chatops.protocol.DiskUsage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Space on every real filesystem. The mount table ({@link MountTable}) is parsed again only when it changed; each
 * filesystem is probed with a deadline by {@link MountProber}, and the mounts that did not answer
 * are reported as this collector's error while the others still count.
 */
final class DiskCollector implements Collector {
    private final MountTable mounts;
    private final MountProber prober;

    DiskCollector(ProcFs fs, MountTable mounts, SpaceProbe probe, Duration mountTimeout) {
        this.mounts = mounts;
        prober = new MountProber(fs, probe, mountTimeout);
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>(0);
        List<DiskUsage> usages = prober.probeAll(mounts.refresh(), problems);
        sample.disks = usages;
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
    }
}
