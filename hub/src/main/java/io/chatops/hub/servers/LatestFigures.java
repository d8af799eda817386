package io.chatops.hub.servers;

import java.util.Map;

/** Each server's latest figures for the fleet view, by server id, implemented by the metrics feature. */
@FunctionalInterface
public interface LatestFigures {
    /** CPU, memory, disk and load of each server's newest sample; servers without samples are absent. */
    Map<String, Map<String, Object>> byServer();
}
