package io.chatops.hub.ops;

import io.chatops.hub.actor.Role;
import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.alerts.AlertService;
import io.chatops.hub.notify.NotificationService;
import io.chatops.hub.agents.AgentSessions;
import io.chatops.hub.servers.ServerView;
import io.javalin.config.JavalinConfig;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in Prometheus' text format: the hub's own counters and, per server, whether
 * it is online and its latest CPU, memory, disk and load, labelled {@code server_id} and
 * {@code server_name}, and the detail of its latest sample (disk I/O per device, temperature per
 * sensor, pressure per resource, TCP), so that an existing Prometheus can scrape the whole fleet from the hub.
 * Needs a viewer's bearer token (a scrape config's {@code authorization}): it names every server.
 */
public final class PrometheusMetrics {
    private final AgentGateway gateway;
    private final AgentSessions sessions;
    private final ServerView servers;
    private final AlertService alerts;
    private final NotificationService notifications;
    private final Supplier<Map<String, Metrics>> latestSamples;

    /** @param latestSamples each server's newest sample, by server id */
    public PrometheusMetrics(AgentGateway gateway, AgentSessions sessions, ServerView servers, AlertService alerts,
            NotificationService notifications, Supplier<Map<String, Metrics>> latestSamples) {
        this.latestSamples = latestSamples;
        this.alerts = alerts;
        this.notifications = notifications;
        this.gateway = gateway;
        this.sessions = sessions;
        this.servers = servers;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(render()),
                Role.VIEWER);
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        single(out, "chatops_hub_agents_connected", "gauge", "Agents connected to this hub now.", sessions.count());
        single(out, "chatops_hub_samples_stored_total", "counter", "Metrics samples stored since the hub started.",
                gateway.samplesStored());
        single(out, "chatops_hub_bad_frames_total", "counter", "Agent frames refused as malformed since the hub started.",
                gateway.badFrames());
        single(out, "chatops_hub_refused_handshakes_total", "counter", "Agent handshakes refused since the hub started.",
                gateway.refusedHandshakes());

        single(out, "chatops_hub_alert_samples_unjudged_total", "counter",
                "Samples that alert rules did not judge because evaluation fell behind.", alerts.unjudgedSamples());
        out.append("# HELP chatops_alerts_firing Alerts firing now, by severity.\n# TYPE chatops_alerts_firing gauge\n");
        alerts.firingBySeverity().forEach((severity, count) ->
                out.append("chatops_alerts_firing{severity=\"").append(severity).append("\"} ").append(count).append('\n'));

        single(out, "chatops_alert_notifications_sent_total", "counter", "Notifications delivered since the hub started.",
                notifications.counters().get("sent"));
        single(out, "chatops_alert_notifications_failed_total", "counter",
                "Notifications given up on (refused, or undeliverable for a day) since the hub started.",
                notifications.counters().get("failed"));

        List<Map<String, Object>> fleet = servers.all();
        perServer(out, fleet, "chatops_server_online", "1 when the server's agent is connected and reporting.", null);
        perServer(out, fleet, "chatops_server_cpu_percent", "CPU usage of the latest sample, percent.", "cpu_percent");
        perServer(out, fleet, "chatops_server_memory_percent", "Memory usage of the latest sample, percent.", "memory_percent");
        perServer(out, fleet, "chatops_server_disk_percent", "Usage of the fullest filesystem in the latest sample, percent.",
                "disk_percent");
        perServer(out, fleet, "chatops_server_load1", "One-minute load average of the latest sample.", "load_1");

        Map<String, Metrics> samples = latestSamples.get();
        detail(out, fleet, samples, "chatops_server_disk_io_read_bytes_per_second", "Bytes read a second from the block device.",
                m -> each(m.diskIo(), io -> new Labelled("device", io.device(), io.readBytesPerSecond())));
        detail(out, fleet, samples, "chatops_server_disk_io_write_bytes_per_second", "Bytes written a second to the block device.",
                m -> each(m.diskIo(), io -> new Labelled("device", io.device(), io.writeBytesPerSecond())));
        detail(out, fleet, samples, "chatops_server_disk_io_busy_percent", "Share of the interval the block device was busy, percent.",
                m -> each(m.diskIo(), io -> new Labelled("device", io.device(), io.busyPercent())));
        detail(out, fleet, samples, "chatops_server_temperature_celsius", "Temperature of the sensor, degrees Celsius.",
                m -> each(m.temperatures(), t -> new Labelled("sensor", t.sensor(), t.celsius())));
        detail(out, fleet, samples, "chatops_server_pressure_some_avg10_percent",
                "Share of the last 10 s in which some task waited for the resource, percent.", m -> pressure(m.pressure(), true));
        detail(out, fleet, samples, "chatops_server_pressure_full_avg10_percent",
                "Share of the last 10 s in which every task waited for the resource, percent.", m -> pressure(m.pressure(), false));
        detail(out, fleet, samples, "chatops_server_tcp_established", "TCP connections established.",
                m -> m.tcp() == null ? List.of() : List.of(new Labelled(null, null, m.tcp().established())));
        detail(out, fleet, samples, "chatops_server_tcp_retransmits_per_second", "TCP segments retransmitted a second.",
                m -> m.tcp() == null || m.tcp().retransmitsPerSecond() == null ? List.of()
                        : List.of(new Labelled(null, null, m.tcp().retransmitsPerSecond())));
        detail(out, fleet, samples, "chatops_server_services_failed", "systemd services in the failed state.",
                m -> m.services() == null ? List.of() : List.of(new Labelled(null, null, m.services().failed())));
        return out.toString();
    }

    /** A value of a server's latest sample, with the label that tells it from the server's others (none when {@code label} is null). */
    private record Labelled(String label, String labelValue, double value) {
    }

    private static <T> List<Labelled> each(List<T> parts, Function<T, Labelled> value) {
        return parts == null ? List.of() : parts.stream().map(value).toList();
    }

    private static List<Labelled> pressure(Pressure p, boolean some) {
        if (p == null) {
            return List.of();
        }
        List<Labelled> values = new ArrayList<>(3);
        Double[] figures = some ? new Double[] {p.cpuSomeAvg10(), p.memorySomeAvg10(), p.ioSomeAvg10()}
                : new Double[] {null, p.memoryFullAvg10(), p.ioFullAvg10()};
        String[] resources = {"cpu", "memory", "io"};
        for (int i = 0; i < resources.length; i++) {
            if (figures[i] != null) {
                values.add(new Labelled("resource", resources[i], figures[i]));
            }
        }
        return values;
    }

    private static void detail(StringBuilder out, List<Map<String, Object>> fleet, Map<String, Metrics> samples, String name, String help,
            Function<Metrics, List<Labelled>> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
        for (Map<String, Object> server : fleet) {
            Metrics sample = samples.get((String) server.get("id"));
            if (sample == null) {
                continue;
            }
            for (Labelled value : values.apply(sample)) {
                out.append(name).append("{server_id=\"").append(escape((String) server.get("id")))
                        .append("\",server_name=\"").append(escape((String) server.get("name")));
                if (value.label() != null) {
                    out.append("\",").append(value.label()).append("=\"").append(escape(value.labelValue()));
                }
                out.append("\"} ").append(value.value()).append('\n');
            }
        }
    }

    private static void single(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }

    @SuppressWarnings("unchecked")
    private static void perServer(StringBuilder out, List<Map<String, Object>> fleet, String name, String help, String field) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
        for (Map<String, Object> server : fleet) {
            Object value;
            if (field == null) {
                value = "online".equals(server.get("status")) ? 1 : 0;
            } else {
                Map<String, Object> latest = (Map<String, Object>) server.get("latest");
                value = latest == null ? null : latest.get(field);
            }
            if (value != null) {
                out.append(name).append("{server_id=\"").append(escape((String) server.get("id")))
                        .append("\",server_name=\"").append(escape((String) server.get("name"))).append("\"} ")
                        .append(value).append('\n');
            }
        }
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
