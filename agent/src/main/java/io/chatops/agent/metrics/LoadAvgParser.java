package io.chatops.agent.metrics;

/** Parses /proc/loadavg: {@code 0.32 0.28 0.11 1/103 6355}. */
final class LoadAvgParser {
    private LoadAvgParser() {
    }

    static void parse(ByteText text, double[] out) {
        out[0] = text.nextDecimal();
        out[1] = text.nextDecimal();
        out[2] = text.nextDecimal();
    }
}
