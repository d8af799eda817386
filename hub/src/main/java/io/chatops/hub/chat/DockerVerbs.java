package io.chatops.hub.chat;

import io.chatops.hub.actor.Role;
import io.chatops.hub.docker.DockerService;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.LogLine;
import java.util.List;
import java.util.Locale;

/** {@code docker ps|logs|start|restart|stop}: a server's containers through the Docker service; a stop waits for a second operator. */
final class DockerVerbs {
    static final int DEFAULT_TAIL = 50;
    static final int MAX_TAIL = 500;

    private final Targets targets;
    private final DockerService docker;
    private final ApprovalVerbs approvals;

    DockerVerbs(Targets targets, DockerService docker, ApprovalVerbs approvals) {
        this.targets = targets;
        this.docker = docker;
        this.approvals = approvals;
    }

    /** {@code docker <sub> …}: the first word is the sub-verb. */
    Reply docker(Asked asked) {
        String sub = asked.line().word(0) == null ? "" : asked.line().word(0).toLowerCase(Locale.ROOT);
        return switch (sub) {
            case "ps" -> ps(asked);
            case "logs" -> logs(asked);
            case "start", "restart" -> control(asked, sub.equals("start") ? DockerCommand.Action.START : DockerCommand.Action.RESTART);
            case "stop" -> stop(asked);
            default -> throw new ChatError("docker does ps, logs, start, restart or stop" + (sub.isEmpty() ? "" : ", not " + sub)
                    + "; usage: docker ps <server> · docker logs <server> <container> [--tail=50] · docker start|restart|stop <server> <container>");
        };
    }

    private Reply ps(Asked asked) {
        asked.actor().require(Role.VIEWER);
        ServerStore.Server server = targets.one(FleetVerbs.required(asked, 1, "docker ps <server>"));
        Containers report = docker.containers(asked.actor(), server.id())
                .orElseThrow(() -> new ChatError(server.name() + " has not reported its containers since the hub started"));
        List<ContainerInfo> containers = report.containers();
        if (containers.isEmpty()) {
            return asked.say(server.name() + " runs no containers.");
        }
        int width = containers.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder text = new StringBuilder(asked.at()).append(server.name()).append(": ")
                .append(FanOutJob.plural(containers.size(), "container")).append(" (as of ").append(report.timestamp()).append(")\n```\n");
        for (ContainerInfo c : containers) {
            text.append(String.format("%-" + width + "s  %-10s %s  %s%n", c.name(), c.state() + (c.health() == null ? "" : "/" + c.health()),
                    c.status(), c.image()));
        }
        return Reply.text(text.append("```").toString());
    }

    private Reply logs(Asked asked) {
        asked.actor().require(Role.VIEWER);
        String usage = "docker logs <server> <container> [--tail=50]";
        ServerStore.Server server = targets.one(FleetVerbs.required(asked, 1, usage));
        String container = FleetVerbs.required(asked, 2, usage);
        int tail = tail(asked.line().flags().get("tail"));
        DockerResult result = docker.logs(asked.actor(), server.id(), container, tail, null);
        List<LogLine> lines = result.lines() == null ? List.of() : result.lines();
        StringBuilder text = new StringBuilder(asked.at()).append("the last ").append(FanOutJob.plural(lines.size(), "line")).append(" of ")
                .append(container).append(" on ").append(server.name()).append(":\n```\n");
        lines.forEach(line -> text.append(line.text().stripTrailing()).append('\n'));
        return Reply.text(text.append("```").toString());
    }

    private Reply control(Asked asked, DockerCommand.Action action) {
        asked.actor().require(Role.OPERATOR);
        String verb = action.name().toLowerCase(Locale.ROOT);
        String usage = "docker " + verb + " <server> <container>";
        ServerStore.Server server = targets.one(FleetVerbs.required(asked, 1, usage));
        String container = FleetVerbs.required(asked, 2, usage);
        DockerResult result = docker.control(asked.actor(), server.id(), action, container);
        ContainerInfo after = result.container();
        return asked.say(verb + "ed " + container + " on " + server.name() + (after == null ? "" : ": now " + after.state()));
    }

    /** A stop takes a service down: it waits for a second operator. */
    private Reply stop(Asked asked) {
        asked.actor().require(Role.OPERATOR);
        String usage = "docker stop <server> <container>";
        ServerStore.Server server = targets.one(FleetVerbs.required(asked, 1, usage));
        String container = FleetVerbs.required(asked, 2, usage);
        return approvals.request(asked, new Approvals.Canonical("docker stop", List.of(server.id()), null, container),
                "docker stop " + container + " on " + server.name());
    }

    /** Runs an approved stop as the person who asked for it. */
    String stopApproved(io.chatops.hub.actor.Actor requester, String serverId, String container, String serverName) {
        DockerResult result = docker.control(requester, serverId, DockerCommand.Action.STOP, container);
        return "stopped " + container + " on " + serverName + (result.container() == null ? "" : ": now " + result.container().state());
    }

    private static int tail(String flag) {
        if (flag == null) {
            return DEFAULT_TAIL;
        }
        try {
            int tail = Integer.parseInt(flag);
            if (tail >= 1 && tail <= MAX_TAIL) {
                return tail;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ChatError("--tail is a number of lines from 1 to " + MAX_TAIL);
    }
}
