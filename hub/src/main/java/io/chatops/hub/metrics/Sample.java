package io.chatops.hub.metrics;

import io.chatops.protocol.Metrics;
import java.util.List;

/**
 * A sample as the hub stores it: the agent's sample, and the load of the server's running
 * containers at that moment, from the agent's containers report (see {@link ContainerLoad}).
 */
public record Sample(Metrics metrics, List<ContainerLoad> containers) {
    public Sample {
        containers = List.copyOf(containers);
    }

    public static Sample of(Metrics metrics) {
        return new Sample(metrics, List.of());
    }

    long millis() {
        return metrics.timestamp().toEpochMilli();
    }
}
