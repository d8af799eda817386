package io.chatops.agent.metrics;

/** The figures of /proc/meminfo the agent reports, in bytes. Reused between samples. */
final class MemInfo {
    long totalBytes;
    long freeBytes;
    long availableBytes;
    long buffersBytes;
    long cachedBytes;
    long swapTotalBytes;
    long swapFreeBytes;
    boolean hasAvailable;

    /** MemAvailable appeared in Linux 3.14; before that, free + buffers + cache is the usual estimate. */
    long available() {
        return hasAvailable ? availableBytes : Math.min(totalBytes, freeBytes + buffersBytes + cachedBytes);
    }
}
