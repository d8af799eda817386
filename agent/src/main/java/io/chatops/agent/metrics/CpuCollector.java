package io.chatops.agent.metrics;

import io.chatops.protocol.CpuUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU usage over the last interval, in total and per core, from the difference of two
 * /proc/stat readings, plus the load averages. The first reading is taken on construction so that
 * the very first sample already covers a real interval.
 */
final class CpuCollector implements Collector {
    private final ProcFile stat;
    private final ProcFile loadavg;
    private CpuTimes previous = new CpuTimes();
    private CpuTimes current = new CpuTimes();
    private final double[] load = new double[3];

    CpuCollector(ProcFs fs) throws IOException {
        stat = new ProcFile(fs.resolve("proc/stat"));
        loadavg = new ProcFile(fs.resolve("proc/loadavg"));
        CpuStatParser.parse(stat.read(), previous);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        CpuStatParser.parse(stat.read(), current);
        LoadAvgParser.parse(loadavg.read(), load);
        if (current.slots != previous.slots) {
            // A core went on- or offline: this interval has no common baseline, start a new one.
            int cores = current.cores();
            swap();
            throw new IOException("the number of CPUs changed to " + cores + "; usage resumes next sample");
        }
        List<Double> perCore = new ArrayList<>(current.cores());
        for (int slot = 1; slot < current.slots; slot++) {
            perCore.add(round(current.percentSince(previous, slot)));
        }
        sample.cpu = new CpuUsage(round(current.percentSince(previous, 0)), perCore, load[0], load[1], load[2]);
        swap();
    }

    private void swap() {
        CpuTimes spare = previous;
        previous = current;
        current = spare;
    }

    /** Two decimals are more than a 5 s average can tell, and keep the frames short. */
    static double round(double percent) {
        return Math.round(percent * 100) / 100.0;
    }
}
