package io.chatops.hub.alerts;

import io.chatops.hub.notify.Notice;
import io.chatops.hub.processes.ProcessService;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.ProcessList;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The notices of an alert's life: ALERTS.md's webhook body, and a title for chat and mail. */
final class Notices {
    static final String FIRING = "alert.firing";
    static final String RESOLVED = "alert.resolved";
    static final String REPEAT = "alert.repeat";
    /** "Still firing" for receivers that forget an alert they have not heard of for minutes (Alertmanager); people never see it. */
    static final String KEEP_ALIVE = "alert.refresh";

    private final URI hubUrl;

    Notices(URI hubUrl) {
        this.hubUrl = hubUrl;
    }

    /** @param busiest the server's busiest processes when a CPU or memory alert fired (empty for the others): named in its title too */
    Notice of(String event, Alert alert, AlertRule rule, ServerStore.Server server, List<ProcessList.ProcessInfo> busiest) {
        String link = hubUrl + "/#/servers/" + server.id();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", "1");
        payload.put("event", event);
        payload.put("alert", alert.json(rule, server.name()));
        payload.put("server", Map.of("id", server.id(), "name", server.name(), "tags", server.tags()));
        payload.put("hub_url", link);
        String title = alert.summary(rule, server.name());
        if (!busiest.isEmpty()) {
            payload.put("processes", busiest.stream().map(ProcessService::json).toList());
            title += "; busiest: " + String.join(", ", busiest.stream().map(Notices::named).toList());
        }
        return new Notice(event, alert.id(), title, AlertRule.wire(rule.severity()), link, payload);
    }

    /** "postgres (4121) 97% CPU, 1.2 GiB": the program's name, not its whole command line. */
    static String named(ProcessList.ProcessInfo p) {
        String program = p.command();
        if (!program.startsWith("[")) { // a kernel thread's [name] may hold a slash: kept whole
            program = program.split(" ", 2)[0];
            program = program.substring(program.lastIndexOf('/') + 1);
        }
        if (program.length() > 40) {
            program = program.substring(0, 39) + "…";
        }
        double gib = p.memoryBytes() / (double) (1L << 30);
        String memory = gib >= 1 ? String.format(Locale.ROOT, "%.1f GiB", gib) : (p.memoryBytes() >> 20) + " MiB";
        return String.format(Locale.ROOT, "%s (%d) %.0f%% CPU, %s", program, p.pid(), p.cpuPercent(), memory);
    }
}
