package io.chatops.agent.metrics;

import java.io.IOException;

/** Seconds since boot, from /proc/uptime. */
final class UptimeCollector implements Collector {
    private final ProcFile uptime;

    UptimeCollector(ProcFs fs) {
        uptime = new ProcFile(fs.resolve("proc/uptime"));
    }

    @Override
    public String name() {
        return "uptime";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        sample.uptimeSeconds = UptimeParser.parse(uptime.read());
    }
}
