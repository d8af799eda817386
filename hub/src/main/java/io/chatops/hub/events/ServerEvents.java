package io.chatops.hub.events;

import io.chatops.hub.db.Rows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What happened to a server, for the markers on its charts: commands run, containers started,
 * stopped and restarted, its agent's connections, and its alerts firing and resolving. A read
 * model over the records the features keep anyway — the commands table, the audit log, the agent
 * connection log and the alerts — so nothing is written twice and nothing can disagree.
 */
public final class ServerEvents {
    /** Events per answer at most: the newest of the range are kept. */
    public static final int MAX_EVENTS = 1_000;
    /** A command's text in a summary at most, in characters. */
    static final int MAX_COMMAND = 200;

    /** One marker: {@code user} is null for what no person did (an agent connecting, an alert). */
    public record Event(long at, String kind, String user, String summary, String ref) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", java.time.Instant.ofEpochMilli(at).toString());
            json.put("kind", kind);
            json.put("user", user);
            json.put("summary", summary);
            json.put("ref", ref);
            return json;
        }
    }

    private final Jdbi jdbi;

    public ServerEvents(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The server's events from {@code from} to {@code to} (epoch ms, inclusive), oldest first. */
    public List<Event> between(String serverId, long from, long to) {
        List<Event> events = jdbi.withHandle(h -> {
            List<Event> all = new ArrayList<>();
            commands(h, serverId, from, to, all);
            containerActions(h, serverId, from, to, all);
            connections(h, serverId, from, to, all);
            alerts(h, serverId, from, to, all);
            return all;
        });
        events.sort(Comparator.comparingLong(Event::at).reversed());
        List<Event> kept = new ArrayList<>(events.subList(0, Math.min(events.size(), MAX_EVENTS)));
        kept.sort(Comparator.comparingLong(Event::at));
        return kept;
    }

    private static void commands(Handle h, String serverId, long from, long to, List<Event> into) {
        h.createQuery("SELECT id, username, command, status, exit_code, started_at FROM commands"
                        + " WHERE server_id = ? AND started_at >= ? AND started_at <= ? ORDER BY started_at DESC LIMIT " + MAX_EVENTS)
                .bind(0, serverId).bind(1, from).bind(2, to)
                .map((rs, ctx) -> {
                    String command = rs.getString(3);
                    if (command.length() > MAX_COMMAND) {
                        command = command.substring(0, MAX_COMMAND) + "…";
                    }
                    Object exit = rs.getObject(5);
                    String ending = rs.getString(4) + (exit == null ? "" : " (exit " + exit + ")");
                    return new Event(rs.getLong(6), "command", rs.getString(2), command + " — " + ending, rs.getString(1));
                })
                .forEach(into::add);
    }

    private static void containerActions(Handle h, String serverId, long from, long to, List<Event> into) {
        h.createQuery("SELECT at, username, action, outcome, detail FROM audit WHERE target = ? AND at >= ? AND at <= ?"
                        + " AND action IN ('docker_start', 'docker_stop', 'docker_restart') ORDER BY at DESC LIMIT " + MAX_EVENTS)
                .bind(0, "server:" + serverId).bind(1, from).bind(2, to)
                .map((rs, ctx) -> {
                    String verb = rs.getString(3).substring("docker_".length());
                    String container = rs.getString(5);
                    String outcome = rs.getString(4);
                    String summary = verb + " " + container + ("ok".equals(outcome) ? "" : " (" + outcome + ")");
                    return new Event(rs.getLong(1), "container_" + verb, rs.getString(2), summary, container);
                })
                .forEach(into::add);
    }

    private static void connections(Handle h, String serverId, long from, long to, List<Event> into) {
        h.createQuery("SELECT at, connected, detail FROM agent_connections WHERE server_id = ? AND at >= ? AND at <= ?"
                        + " ORDER BY at DESC LIMIT " + MAX_EVENTS)
                .bind(0, serverId).bind(1, from).bind(2, to)
                .map((rs, ctx) -> {
                    boolean connected = rs.getBoolean(2);
                    String detail = rs.getString(3);
                    String summary = (connected ? "agent connected" : "agent disconnected") + (detail == null ? "" : ": " + detail);
                    return new Event(rs.getLong(1), connected ? "agent_connected" : "agent_disconnected", null, summary, null);
                })
                .forEach(into::add);
    }

    /** An alert is two events: when it started firing, and when it resolved (if it did in the range). */
    private static void alerts(Handle h, String serverId, long from, long to, List<Event> into) {
        String select = "SELECT a.id, r.name, a.subject, a.value, a.%1$s FROM alerts a JOIN alert_rules r ON r.id = a.rule_id"
                + " WHERE a.server_id = ? AND a.%1$s >= ? AND a.%1$s <= ? ORDER BY a.%1$s DESC LIMIT " + MAX_EVENTS;
        for (String column : List.of("firing_at", "resolved_at")) {
            boolean firing = column.equals("firing_at");
            h.createQuery(select.formatted(column)).bind(0, serverId).bind(1, from).bind(2, to)
                    .map((rs, ctx) -> {
                        Double value = Rows.doubleOrNull(rs, 4);
                        String subject = rs.getString(3);
                        String summary = rs.getString(2) + (subject == null || subject.isEmpty() ? "" : " on " + subject)
                                + (firing && value != null ? String.format(java.util.Locale.ROOT, " at %.1f", value) : "")
                                + (firing ? " — firing" : " — resolved");
                        return new Event(rs.getLong(5), firing ? "alert_firing" : "alert_resolved", null, summary, rs.getString(1));
                    })
                    .forEach(into::add);
        }
    }
}
