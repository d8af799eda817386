package io.chatops.hub.metrics;

import io.chatops.hub.actor.Role;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Query;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /servers/{id}/metrics/latest}, the last sample as the agent sent it with network
 * rates, and {@code GET /servers/{id}/metrics?from=&to=&resolution=}, the history for charts.
 */
public final class MetricsRoutes {
    /** A year and a bit: the longest range any tier holds. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    private final MetricsStore metrics;
    private final MetricsHistory history;
    private final ServerStore servers;
    private final Clock clock;
    private final MessageCodec codec = new MessageCodec();

    public MetricsRoutes(MetricsStore metrics, MetricsHistory history, ServerStore servers, Clock clock) {
        this.metrics = metrics;
        this.history = history;
        this.servers = servers;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers/{id}/metrics/latest", this::latest, Role.VIEWER);
        config.routes.get("/api/v1/servers/{id}/metrics", this::range, Role.VIEWER);
    }

    private void range(Context ctx) {
        String id = ctx.pathParam("id");
        servers.require(id);
        Instant now = clock.instant();
        Query.Range range = Query.range(ctx, now, Duration.ofHours(1), MAX_RANGE);
        Instant from = range.from();
        Instant to = range.to();
        String asked = ctx.queryParam("resolution") == null ? "auto" : ctx.queryParam("resolution");
        MetricsHistory.Resolution resolution = switch (asked) {
            case "auto" -> history.choose(from, to, now);
            case "raw" -> MetricsHistory.Resolution.RAW;
            case "1m" -> MetricsHistory.Resolution.MINUTE;
            case "1h" -> MetricsHistory.Resolution.HOUR;
            default -> throw ApiError.badRequest("query parameter 'resolution' must be auto, raw, 1m or 1h");
        };
        ctx.json(history.query(id, from, to, resolution));
    }

    @SuppressWarnings("unchecked")
    private void latest(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        servers.require(id);
        Metrics latest = metrics.latest(id).orElseThrow(() -> ApiError.notFound("server " + id + " has reported no metrics yet"));
        // The one before it, for rates: while history keeps it.
        Metrics previous = metrics.newest(id, 2).stream().filter(sample -> sample.seq() < latest.seq()).findFirst().orElse(null);
        Map<String, Object> json = new LinkedHashMap<>((Map<String, Object>) JsonTree.parse(codec.encode(latest)));
        json.remove("type");
        json.put("network_rates", previous == null ? List.of() : rates(previous, latest));
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
