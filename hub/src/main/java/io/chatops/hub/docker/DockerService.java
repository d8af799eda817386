package io.chatops.hub.docker;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.agents.AgentRequests;
import io.chatops.hub.agents.AgentUnavailable;
import io.chatops.hub.agents.ContainerReports;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.http.ApiError;
import io.chatops.protocol.Capability;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * Docker on a server's agent for an {@link Actor}: the containers it last reported, and inspect,
 * logs, start, stop and restart relayed to it. Checks the role and the agent's capabilities,
 * waits a bounded time, audits every start, stop and restart with its outcome, and turns the
 * agent's refusals into {@link ApiError}s. Every front end calls this, never the agent directly.
 */
public final class DockerService {
    /** Stop and restart wait this long for the container to exit before Docker kills it (within the relay's default timeout). */
    static final int GRACE_SECONDS = 10;
    /** Docker names are short; the agent checks the exact syntax, this only bounds what is sent. */
    static final int MAX_CONTAINER_CHARS = 200;

    private final AgentRequests agents;
    private final ContainerReports reports;
    private final AuditLog audit;
    private final OperatorStops stops;

    public DockerService(AgentRequests agents, ContainerReports reports, AuditLog audit, Clock clock, Peers peers) {
        this.stops = new OperatorStops(clock, peers);
        this.agents = agents;
        this.reports = reports;
        this.audit = audit;
        // A container seen running again, however it was started, is no longer stopped on purpose.
        reports.whenReported((serverId, report) -> report.containers().stream()
                .filter(container -> "running".equals(container.state()))
                .forEach(container -> stops.reportedRunning(serverId, container.name())));
    }

    /** Containers stopped through the hub on purpose, which alert rules leave alone. */
    public OperatorStops operatorStops() {
        return stops;
    }

    /** The server's containers as its agent last reported them; empty when it never did since its hub started. */
    public Optional<Containers> containers(Actor actor, String serverId) {
        actor.require(Role.VIEWER);
        return agents.containers(serverId);
    }

    public DockerResult inspect(Actor actor, String serverId, String container) {
        actor.require(Role.VIEWER);
        return relay(actor, serverId, DockerCommand.Action.INSPECT, container, null, null);
    }

    /** The container's last {@code tail} lines (null: the agent's default), optionally only those since {@code since}. */
    public DockerResult logs(Actor actor, String serverId, String container, Integer tail, Instant since) {
        actor.require(Role.VIEWER);
        if (tail != null && (tail < 1 || tail > DockerCommand.MAX_TAIL)) {
            throw ApiError.badRequest("tail must be a whole number from 1 to " + DockerCommand.MAX_TAIL);
        }
        return relay(actor, serverId, DockerCommand.Action.LOGS, container, tail, since);
    }

    /** Starts, stops or restarts a container; operators and admins only. */
    public DockerResult control(Actor actor, String serverId, DockerCommand.Action action, String container) {
        if (!action.isControl()) {
            throw new IllegalArgumentException(action + " does not change a container");
        }
        actor.require(Role.OPERATOR);
        return relay(actor, serverId, action, container, null, null);
    }

    private DockerResult relay(Actor actor, String serverId, DockerCommand.Action action, String container, Integer tail,
            Instant since) {
        if (container == null || container.isBlank() || container.length() > MAX_CONTAINER_CHARS) {
            throw ApiError.badRequest("the container must be a name or id of 1 to " + MAX_CONTAINER_CHARS + " characters");
        }
        if (action.isControl()) {
            agents.require(serverId, "container control (-disable-docker-control)", Capability.DOCKER, Capability.DOCKER_CONTROL);
        } else {
            agents.require(serverId, "Docker", Capability.DOCKER);
        }
        String id = "d-" + UUID.randomUUID();
        DockerCommand command = new DockerCommand(id, action, container, action.isControl() ? GRACE_SECONDS : null, tail, since);
        String stopping = action == DockerCommand.Action.STOP ? nameOf(serverId, container) : null;
        if (stopping != null) {
            stops.stopping(serverId, stopping); // before the agent acts: its report of the exit may come before its answer
        }
        try {
            DockerResult result = send(actor, serverId, action, container, id, command);
            if (action.isControl() && result.container() != null) {
                if (action == DockerCommand.Action.STOP) {
                    stops.stopped(serverId, result.container().name());
                } else {
                    stops.started(serverId, result.container().name());
                }
            }
            return result;
        } finally {
            if (stopping != null) {
                stops.stopFailed(serverId, stopping); // a no-op once the stop was confirmed
            }
        }
    }

    /** The name by which reports know {@code container} (a name, an id or an id's prefix); itself when no report knows it. */
    private String nameOf(String serverId, String container) {
        return reports.latest(serverId).flatMap(report -> report.containers().stream()
                .filter(c -> c.name().equals(container) || c.id().startsWith(container)).findFirst())
                .map(ContainerInfo::name).orElse(container);
    }

    private DockerResult send(Actor actor, String serverId, DockerCommand.Action action, String container, String id,
            DockerCommand command) {
        Message answer;
        try {
            answer = agents.send(serverId, id, command).join();
        } catch (CompletionException | AgentUnavailable e) {
            Throwable cause = AgentRequests.cause(e);
            if (cause instanceof AgentUnavailable unavailable) {
                audited(actor, serverId, action, container, unavailable.reason() == AgentUnavailable.Reason.NO_ANSWER ? "timeout" : "offline");
                throw unavailable;
            }
            throw e;
        }
        if (answer instanceof ErrorMessage refused) {
            audited(actor, serverId, action, container, "agent_error");
            throw new ApiError(502, "agent_error", "the agent refused the request: " + refused.message());
        }
        DockerResponse response = (DockerResponse) answer;
        audited(actor, serverId, action, container, response.ok() ? "ok" : response.error().code().name().toLowerCase(Locale.ROOT));
        if (!response.ok()) {
            throw switch (response.error().code()) {
                case NOT_FOUND -> ApiError.notFound(response.error().message());
                case INVALID_CONTAINER -> ApiError.badRequest(response.error().message());
                case DOCKER_CONTROL_DISABLED -> AgentUnavailable.capabilityDisabled(serverId, "container control (-disable-docker-control)");
                case DOCKER_UNAVAILABLE -> new ApiError(503, "docker_unavailable", response.error().message());
                case DOCKER_ERROR -> new ApiError(502, "docker_error", response.error().message());
            };
        }
        return response.result();
    }

    /** Reads are not audited; changes are, however they ended. */
    private void audited(Actor actor, String serverId, DockerCommand.Action action, String container, String outcome) {
        if (action.isControl()) {
            audit.record(new AuditEvent(actor, "docker_" + action.name().toLowerCase(Locale.ROOT), AuditEvent.server(serverId),
                    outcome, container));
        }
    }
}
