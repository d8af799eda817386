package io.chatops.agent.metrics;

import io.chatops.protocol.MemoryUsage;
import java.io.IOException;

/** Memory and swap from /proc/meminfo; used memory is total minus available, as in {@code free}. */
final class MemoryCollector implements Collector {
    private final ProcFile meminfo;
    private final MemInfo info = new MemInfo();

    MemoryCollector(ProcFs fs) {
        meminfo = new ProcFile(fs.resolve("proc/meminfo"));
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        MeminfoParser.parse(meminfo.read(), info);
        long total = info.totalBytes;
        long available = info.available();
        long used = Math.max(0, total - available);
        double percent = total == 0 ? 0 : CpuCollector.round(100.0 * used / total);
        long swapUsed = Math.max(0, info.swapTotalBytes - info.swapFreeBytes);
        sample.memory = new MemoryUsage(total, used, available, percent, info.swapTotalBytes, swapUsed);
    }
}
