package io.chatops.agent.metrics;

/**
 * Reads one part of a sample (CPU, memory, disks, network, uptime) into the builder. A collector
 * that throws is named in the sample's errors and the others still report, so a collector never
 * needs to catch its own failures. Collectors keep state between samples (previous counters,
 * open files) and are called from one thread only.
 */
interface Collector {
    /** The name shown in a sample's {@code errors}: {@code cpu}, {@code disk}, … */
    String name();

    void collect(SampleBuilder sample) throws Exception;
}
