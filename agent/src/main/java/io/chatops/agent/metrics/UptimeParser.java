package io.chatops.agent.metrics;

/** Parses /proc/uptime ({@code 596.84 1059.23}) into whole seconds since boot. */
final class UptimeParser {
    private UptimeParser() {
    }

    static long parse(ByteText text) {
        return text.nextLong();
    }
}
