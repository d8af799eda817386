package io.chatops.hub.chat;

import io.chatops.hub.actor.Role;
import io.chatops.hub.processes.ProcessService;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** {@code top <server> [cpu|memory]}: the server's busiest processes now, as its agent measures them. */
final class ProcessVerbs {
    static final int SHOWN = 10;
    /** A chat line is no place for a whole command line. */
    static final int COMMAND_CHARS = 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Targets targets;
    private final ProcessService processes;

    ProcessVerbs(Targets targets, ProcessService processes) {
        this.targets = targets;
        this.processes = processes;
    }

    Reply top(Asked asked) {
        asked.actor().require(Role.VIEWER);
        ServerStore.Server server = targets.one(FleetVerbs.required(asked, 0, "top <server> [cpu|memory]"));
        String order = asked.line().word(1) == null ? "cpu" : asked.line().word(1).toLowerCase(Locale.ROOT);
        ProcessesRequest.Sort sort = switch (order) {
            case "cpu" -> ProcessesRequest.Sort.CPU;
            case "memory", "mem" -> ProcessesRequest.Sort.MEMORY;
            default -> throw new ChatError("top orders by cpu or memory, not " + order);
        };
        ProcessList list = processes.top(asked.actor(), server.id(), sort, SHOWN);
        StringBuilder text = new StringBuilder(asked.at()).append(server.name()).append(", busiest by ")
                .append(sort == ProcessesRequest.Sort.CPU ? "CPU" : "memory").append(" of ").append(list.total()).append(" processes at ")
                .append(TIME.format(list.takenAt())).append(" (CPU over ").append(list.windowMillis()).append(" ms; 100% is one core):\n```\n")
                .append(String.format("%7s  %-10s %6s %9s  %s%n", "PID", "USER", "CPU", "MEMORY", "COMMAND"));
        for (ProcessList.ProcessInfo p : list.processes()) {
            String command = p.command().length() > COMMAND_CHARS ? p.command().substring(0, COMMAND_CHARS - 1) + "…" : p.command();
            String user = p.user().length() > 10 ? p.user().substring(0, 9) + "…" : p.user();
            text.append(String.format(Locale.ROOT, "%7d  %-10s %5.1f%% %9s  %s%n", p.pid(), user, p.cpuPercent(), bytes(p.memoryBytes()),
                    command.replace("```", "'''")));
        }
        return Reply.text(text.append("```").toString());
    }

    /** Memory as people read it: "512 MiB", "1.5 GiB". */
    static String bytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MiB";
        }
        return (bytes >> 10) + " KiB";
    }
}
