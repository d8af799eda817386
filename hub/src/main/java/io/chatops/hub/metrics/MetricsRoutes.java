package io.chatops.hub.metrics;

import io.chatops.hub.auth.Role;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /servers/{id}/metrics/latest}: the last sample as the agent sent it, with network rates. */
public final class MetricsRoutes {
    private final MetricsStore metrics;
    private final ServerStore servers;
    private final MessageCodec codec = new MessageCodec();

    public MetricsRoutes(MetricsStore metrics, ServerStore servers) {
        this.metrics = metrics;
        this.servers = servers;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers/{id}/metrics/latest", this::latest, Role.VIEWER);
    }

    @SuppressWarnings("unchecked")
    private void latest(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        servers.byId(id).orElseThrow(() -> ApiError.notFound("server " + id + " does not exist"));
        List<Metrics> newest = metrics.newest(id, 2);
        if (newest.isEmpty()) {
            throw ApiError.notFound("server " + id + " has reported no metrics yet");
        }
        Metrics latest = newest.get(0);
        Map<String, Object> json = new LinkedHashMap<>((Map<String, Object>) JsonTree.parse(codec.encode(latest)));
        json.remove("type");
        json.put("network_rates", newest.size() < 2 ? List.of() : rates(newest.get(1), latest));
        ctx.json(json);
    }

    /** Send and receive rates per interface present in both samples. */
    static List<Map<String, Object>> rates(Metrics previous, Metrics latest) {
        Duration between = Duration.between(previous.timestamp(), latest.timestamp());
        List<Map<String, Object>> rates = new ArrayList<>();
        for (InterfaceCounters now : latest.network()) {
            previous.network().stream().filter(before -> before.name().equals(now.name())).findFirst().ifPresent(before -> {
                Map<String, Object> rate = new LinkedHashMap<>();
                rate.put("interface", now.name());
                rate.put("sent_bytes_per_second", CounterRate.perSecond(before.bytesSent(), now.bytesSent(), between));
                rate.put("recv_bytes_per_second", CounterRate.perSecond(before.bytesRecv(), now.bytesRecv(), between));
                rates.add(rate);
            });
        }
        return rates;
    }
}
