package io.chatops.hub.chat;

import io.chatops.hub.actor.Role;
import io.chatops.hub.alerts.AlertService;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.servers.ServerStore;
import io.chatops.hub.servers.ServerView;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** {@code status}, {@code metrics}, {@code alerts}, {@code ack} and {@code silence}: the fleet and its alerts, read and quieted. */
final class FleetVerbs {
    /** A last hour of samples at the default 5 s interval. */
    static final int HOUR_OF_SAMPLES = 720;
    static final int MAX_ALERTS_SHOWN = 30;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Targets targets;
    private final ServerView view;
    private final AlertService alerts;
    private final MetricsStore metrics;
    private final Clock clock;

    FleetVerbs(Targets targets, ServerView view, AlertService alerts, MetricsStore metrics, Clock clock) {
        this.targets = targets;
        this.view = view;
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
    }

    Reply status(Asked asked) {
        asked.actor().require(Role.VIEWER);
        Set<String> wanted = ids(targets.resolve(asked.line().word(0) == null ? "all" : asked.line().word(0)));
        Map<String, Integer> firing = new HashMap<>();
        alerts.alerts(asked.actor(), List.of("firing"), null, null, 1_000)
                .forEach(alert -> firing.merge((String) alert.get("server_id"), 1, Integer::sum));
        List<Map<String, Object>> shown = view.all().stream().filter(server -> wanted.contains((String) server.get("id")))
                .sorted((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name"))).toList();
        int width = shown.stream().mapToInt(server -> ((String) server.get("name")).length()).max().orElse(0);
        StringBuilder text = new StringBuilder(asked.at()).append(FanOutJob.plural(shown.size(), "server")).append(":\n```\n");
        for (Map<String, Object> server : shown) {
            @SuppressWarnings("unchecked")
            Map<String, Object> latest = (Map<String, Object>) server.get("latest");
            text.append(String.format("%-" + width + "s  %-15s", server.get("name"), ((String) server.get("status")).replace('_', ' ')));
            if (latest != null) {
                text.append(String.format("  CPU %s  memory %s  fullest disk %s", percent(latest.get("cpu_percent")),
                        percent(latest.get("memory_percent")), percent(latest.get("disk_percent"))));
            }
            int count = firing.getOrDefault((String) server.get("id"), 0);
            if (count > 0) {
                text.append("  ▲ ").append(count).append(" firing");
            }
            text.append('\n');
        }
        return Reply.text(text.append("```").toString());
    }

    Reply metrics(Asked asked) {
        asked.actor().require(Role.VIEWER);
        ServerStore.Server server = targets.one(required(asked, 0, "metrics <server> [cpu|memory|disk|network]"));
        String only = asked.line().word(1) == null ? null : asked.line().word(1).toLowerCase(Locale.ROOT);
        if (only != null && !List.of("cpu", "memory", "disk", "network").contains(only)) {
            throw new ChatError("metrics shows cpu, memory, disk or network, not " + only);
        }
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        List<Metrics> hour = metrics.newest(server.id(), HOUR_OF_SAMPLES).stream().filter(m -> m.timestamp().isAfter(hourAgo)).toList();
        if (hour.isEmpty()) {
            return asked.say(server.name() + " sent no sample in the last hour.");
        }
        Metrics latest = hour.get(0);
        Map<String, ToDoubleFunction<Metrics>> series = new LinkedHashMap<>();
        if (only == null || only.equals("cpu")) {
            series.put("CPU %", m -> m.cpu() == null ? Double.NaN : m.cpu().usagePercent());
            series.put("load 1 min", m -> m.cpu() == null ? Double.NaN : m.cpu().load1());
        }
        if (only == null || only.equals("memory")) {
            series.put("memory %", m -> m.memory() == null ? Double.NaN : m.memory().usagePercent());
        }
        if (only == null || only.equals("disk")) {
            for (DiskUsage disk : latest.disks()) {
                series.put("disk " + disk.mount() + " %", m -> m.disks().stream().filter(d -> d.mount().equals(disk.mount()))
                        .mapToDouble(DiskUsage::usagePercent).findFirst().orElse(Double.NaN));
            }
        }
        StringBuilder text = new StringBuilder(asked.at()).append(server.name()).append(", ").append(hour.size())
                .append(" samples in the last hour (latest ").append(latest.timestamp()).append("):\n```\n");
        int width = series.keySet().stream().mapToInt(String::length).max().orElse(0);
        text.append(String.format("%-" + width + "s  %8s  %8s  %8s  %8s%n", "", "now", "min", "avg", "max"));
        series.forEach((name, value) -> {
            double[] values = hour.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
            if (values.length > 0) {
                text.append(String.format(Locale.ROOT, "%-" + width + "s  %8.1f  %8.1f  %8.1f  %8.1f%n", name, value.applyAsDouble(latest),
                        java.util.Arrays.stream(values).min().orElseThrow(), java.util.Arrays.stream(values).average().orElseThrow(),
                        java.util.Arrays.stream(values).max().orElseThrow()));
            }
        });
        if (only == null || only.equals("network")) {
            latest.network().forEach(n -> text.append(String.format("%-" + width + "s  sent %d B, received %d B since boot%n",
                    "net " + n.name(), n.bytesSent(), n.bytesRecv())));
        }
        return Reply.text(text.append("```").toString());
    }

    Reply alerts(Asked asked) {
        asked.actor().require(Role.VIEWER);
        Set<String> wanted = asked.line().word(0) == null ? null : ids(targets.resolve(asked.line().word(0)));
        List<Map<String, Object>> open = alerts.alerts(asked.actor(), List.of(), null, null, 1_000).stream()
                .filter(alert -> wanted == null || wanted.contains((String) alert.get("server_id"))).toList();
        if (open.isEmpty()) {
            return asked.say("nothing is firing or pending.");
        }
        StringBuilder text = new StringBuilder(asked.at()).append(FanOutJob.plural(open.size(), "alert")).append(" firing or pending:\n```\n");
        for (Map<String, Object> alert : open.subList(0, Math.min(MAX_ALERTS_SHOWN, open.size()))) {
            text.append(shortId((String) alert.get("id"))).append("  ").append(alert.get("state")).append("  ").append(alert.get("severity"))
                    .append("  ").append(alert.get("summary"))
                    .append(alert.get("acknowledged_by") == null ? "" : "  (acknowledged by " + alert.get("acknowledged_by") + ")").append('\n');
        }
        if (open.size() > MAX_ALERTS_SHOWN) {
            text.append("… and ").append(open.size() - MAX_ALERTS_SHOWN).append(" more on the Alerts page\n");
        }
        return Reply.text(text.append("```\nack <id> to acknowledge one").toString());
    }

    Reply ack(Asked asked) {
        asked.actor().require(Role.OPERATOR);
        String prefix = required(asked, 0, "ack <alert>");
        List<Map<String, Object>> matching = alerts.alerts(asked.actor(), List.of(), null, null, 1_000).stream()
                .filter(alert -> ((String) alert.get("id")).startsWith(prefix)).toList();
        if (prefix.length() < 4 || matching.size() != 1) {
            throw new ChatError(matching.isEmpty() || prefix.length() < 4 ? "no open alert has the id " + prefix + "; alerts lists them"
                    : prefix + " is the start of " + matching.size() + " alerts' ids; give more of it");
        }
        Map<String, Object> acked = alerts.acknowledge(asked.actor(), (String) matching.get(0).get("id"), "from chat");
        return asked.say("acknowledged: " + acked.get("summary") + ". It repeats no more; it still resolves.");
    }

    Reply silence(Asked asked) {
        asked.actor().require(Role.OPERATOR);
        String usage = "silence <target> <30m|2h|1d> [reason]";
        List<ServerStore.Server> servers = targets.resolve(required(asked, 0, usage));
        Duration length = duration(required(asked, 1, usage));
        String reason = asked.line().words().size() > 2 ? String.join(" ", asked.line().words().subList(2, asked.line().words().size()))
                : "silenced from chat by " + asked.actor().username();
        Instant until = clock.instant().plus(length);
        for (ServerStore.Server server : servers) {
            alerts.silence(asked.actor(), JSON.valueToTree(Map.of("server_id", server.id(), "until", until.toString(), "reason", reason)));
        }
        return asked.say("silenced " + FanOutJob.plural(servers.size(), "server") + " until " + until + ": " + reason);
    }

    /** {@code 30m}, {@code 2h}, {@code 1d}: from a minute to 30 days. */
    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})([mhd])").matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ChatError("say how long as 30m, 2h or 1d, not " + text);
        }
        long amount = Long.parseLong(m.group(1));
        Duration length = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (length.compareTo(Duration.ofMinutes(1)) < 0 || length.compareTo(Duration.ofDays(30)) > 0) {
            throw new ChatError("a silence lasts from 1m to 30d");
        }
        return length;
    }

    static String shortId(String id) {
        return id.substring(0, Math.min(8, id.length()));
    }

    static String required(Asked asked, int index, String usage) {
        String word = asked.line().word(index);
        if (word == null) {
            throw new ChatError("usage: " + usage);
        }
        return word;
    }

    private static Set<String> ids(List<ServerStore.Server> servers) {
        Set<String> ids = new HashSet<>();
        servers.forEach(server -> ids.add(server.id()));
        return ids;
    }

    private static String percent(Object value) {
        return value instanceof Number number ? String.format(Locale.ROOT, "%.0f%%", number.doubleValue()) : "–";
    }
}
