package io.chatops.hub.alerts;

import io.chatops.hub.metrics.CounterRate;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.Metrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a metric rule watches (ALERTS.md), and how to read it from a sample: one value per subject,
 * the subject being a mount point, an interface, a block device, a temperature sensor, a systemd
 * unit, or {@link #SERVER} for figures of the whole server.
 */
enum AlertMetric {
    CPU_PERCENT, MEMORY_PERCENT, SWAP_PERCENT, DISK_PERCENT, LOAD_1, LOAD_1_PER_CORE,
    NET_RECV_BYTES_PER_SECOND, NET_SENT_BYTES_PER_SECOND,
    /** Subject: the block device. */
    DISK_IO_BUSY_PERCENT,
    /** Subject: the sensor. */
    TEMPERATURE_CELSIUS,
    /** Subject: the unit; 1 while it is failed. */
    SERVICE_FAILED;

    /** The subject of a figure that belongs to the whole server. */
    static final String SERVER = "";

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AlertMetric parse(String wireName) {
        for (AlertMetric metric : values()) {
            if (metric.wireName().equals(wireName)) {
                return metric;
            }
        }
        return null;
    }

    /**
     * This metric's values in {@code sample} by subject; {@code previous} (the server's sample before
     * it, or null) gives network rates. A subject the sample lacks (no swap, no such interface) is absent.
     */
    Map<String, Double> values(Metrics sample, Metrics previous) {
        Map<String, Double> values = new LinkedHashMap<>();
        switch (this) {
            case CPU_PERCENT -> {
                if (sample.cpu() != null) {
                    values.put(SERVER, sample.cpu().usagePercent());
                }
            }
            case MEMORY_PERCENT -> {
                if (sample.memory() != null) {
                    values.put(SERVER, sample.memory().usagePercent());
                }
            }
            case SWAP_PERCENT -> {
                if (sample.memory() != null && sample.memory().swapTotalBytes() > 0) {
                    values.put(SERVER, 100.0 * sample.memory().swapUsedBytes() / sample.memory().swapTotalBytes());
                }
            }
            case DISK_PERCENT -> {
                for (DiskUsage disk : sample.disks()) {
                    values.put(disk.mount(), disk.usagePercent());
                }
            }
            case LOAD_1 -> {
                if (sample.cpu() != null) {
                    values.put(SERVER, sample.cpu().load1());
                }
            }
            case LOAD_1_PER_CORE -> {
                if (sample.cpu() != null && !sample.cpu().perCorePercent().isEmpty()) {
                    values.put(SERVER, sample.cpu().load1() / sample.cpu().perCorePercent().size());
                }
            }
            case NET_RECV_BYTES_PER_SECOND, NET_SENT_BYTES_PER_SECOND -> rates(sample, previous, values);
            case DISK_IO_BUSY_PERCENT -> {
                if (sample.diskIo() != null) {
                    sample.diskIo().forEach(io -> values.put(io.device(), io.busyPercent()));
                }
            }
            case TEMPERATURE_CELSIUS -> {
                if (sample.temperatures() != null) {
                    sample.temperatures().forEach(t -> values.put(t.sensor(), t.celsius()));
                }
            }
            case SERVICE_FAILED -> {
                if (sample.services() != null) {
                    sample.services().failedUnits().forEach(unit -> values.put(unit, 1.0));
                }
            }
        }
        return values;
    }

    /**
     * Whether {@code sample} names every subject that has a value, so that a subject it leaves out
     * has none: a service that is no longer failed is simply not among the failed ones.
     */
    boolean namesEverySubject(Metrics sample) {
        return this == SERVICE_FAILED && sample.services() != null;
    }

    private void rates(Metrics sample, Metrics previous, Map<String, Double> values) {
        if (previous == null || !sample.timestamp().isAfter(previous.timestamp())) {
            return;
        }
        Duration between = Duration.between(previous.timestamp(), sample.timestamp());
        for (InterfaceCounters now : sample.network()) {
            for (InterfaceCounters before : previous.network()) {
                if (before.name().equals(now.name())) {
                    Double rate = this == NET_RECV_BYTES_PER_SECOND
                            ? CounterRate.perSecond(before.bytesRecv(), now.bytesRecv(), between)
                            : CounterRate.perSecond(before.bytesSent(), now.bytesSent(), between);
                    if (rate != null) {
                        values.put(now.name(), rate);
                    }
                }
            }
        }
    }
}
