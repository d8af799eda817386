package io.chatops.hub.docker;

import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.auth.Principal;
import io.chatops.hub.auth.Role;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Capability;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Docker routes of API.md: the container list the agent last reported, and inspect, logs,
 * start, stop and restart relayed to the agent, which validates the container reference itself.
 */
public final class DockerRoutes {
    /** Stop and restart wait this long for the container to exit before Docker kills it. */
    static final int GRACE_SECONDS = 10;
    /** On top of the grace period: time for Docker and the agent to answer. */
    static final int ANSWER_SECONDS = 20;

    private final AgentGateway gateway;
    private final ServerStore servers;
    private final AuditLog audit;
    private final MessageCodec codec = new MessageCodec();

    public DockerRoutes(AgentGateway gateway, ServerStore servers, AuditLog audit) {
        this.gateway = gateway;
        this.servers = servers;
        this.audit = audit;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers/{id}/containers", this::list, Role.VIEWER);
        config.routes.get("/api/v1/servers/{id}/containers/{container}", ctx ->
                ctx.json(relay(ctx, DockerCommand.Action.INSPECT, null, null)), Role.VIEWER);
        config.routes.get("/api/v1/servers/{id}/containers/{container}/logs", this::logs, Role.VIEWER);
        for (DockerCommand.Action action : List.of(DockerCommand.Action.START, DockerCommand.Action.STOP, DockerCommand.Action.RESTART)) {
            config.routes.post("/api/v1/servers/{id}/containers/{container}/" + action.name().toLowerCase(java.util.Locale.ROOT),
                    ctx -> ctx.json(relay(ctx, action, null, null)), Role.OPERATOR);
        }
    }

    private void list(Context ctx) {
        String serverId = server(ctx);
        Map<String, Object> json = new LinkedHashMap<>();
        Containers latest = gateway.containers(serverId).orElse(null);
        json.put("reported_at", latest == null ? null : latest.timestamp().toString());
        json.put("containers", latest == null ? List.of() : result(codec.encode(latest)).get("containers"));
        ctx.json(json);
    }

    private void logs(Context ctx) {
        Integer tail = null;
        String tailText = ctx.queryParam("tail");
        if (tailText != null) {
            try {
                tail = Integer.parseInt(tailText);
            } catch (NumberFormatException e) {
                tail = -1;
            }
            if (tail < 1 || tail > DockerCommand.MAX_TAIL) {
                throw ApiError.badRequest("query parameter 'tail' must be a whole number from 1 to " + DockerCommand.MAX_TAIL);
            }
        }
        Instant since = null;
        if (ctx.queryParam("since") != null && !ctx.queryParam("since").isBlank()) {
            try {
                since = OffsetDateTime.parse(ctx.queryParam("since")).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("query parameter 'since' must be an RFC 3339 time");
            }
        }
        ctx.json(relay(ctx, DockerCommand.Action.LOGS, tail, since));
    }

    private Map<String, Object> relay(Context ctx, DockerCommand.Action action, Integer tail, Instant since) {
        String serverId = server(ctx);
        String container = ctx.pathParam("container");
        var agent = gateway.agent(serverId)
                .orElseThrow(() -> new ApiError(503, "agent_offline", "no agent of server " + serverId + " is connected"));
        if (!agent.can(Capability.DOCKER) || (action.isControl() && !agent.can(Capability.DOCKER_CONTROL))) {
            throw new ApiError(409, "capability_disabled", "the agent of server " + serverId + " does not allow "
                    + (action.isControl() ? "container control (-disable-docker-control)" : "Docker"));
        }
        Principal user = AccessControl.principal(ctx);
        String id = "d-" + UUID.randomUUID();
        DockerCommand command = new DockerCommand(id, action, container.length() > 200 ? container.substring(0, 200) : container,
                action.isControl() ? GRACE_SECONDS : null, tail, since);
        Message answer;
        try {
            answer = gateway.request(serverId, id, command)
                    .orElseThrow(() -> new ApiError(503, "agent_offline", "no agent of server " + serverId + " is connected"))
                    .orTimeout(GRACE_SECONDS + ANSWER_SECONDS, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (action.isControl()) {
                audit.record(user, null, ctx.ip(), "docker_" + action.name().toLowerCase(java.util.Locale.ROOT),
                        "server:" + serverId, "timeout", container);
            }
            if (e.getCause() instanceof TimeoutException) {
                throw new ApiError(504, "agent_timeout", "the agent did not answer in time");
            }
            throw e;
        }
        if (answer instanceof ErrorMessage refused) {
            throw new ApiError(502, "agent_error", "the agent refused the request: " + refused.message());
        }
        DockerResponse response = (DockerResponse) answer;
        if (action.isControl()) {
            audit.record(user, null, ctx.ip(), "docker_" + action.name().toLowerCase(java.util.Locale.ROOT), "server:" + serverId,
                    response.ok() ? "ok" : response.error().code().name().toLowerCase(java.util.Locale.ROOT), container);
        }
        if (!response.ok()) {
            throw switch (response.error().code()) {
                case NOT_FOUND -> new ApiError(404, "not_found", response.error().message());
                case INVALID_CONTAINER -> ApiError.badRequest(response.error().message());
                case DOCKER_CONTROL_DISABLED -> new ApiError(409, "capability_disabled", response.error().message());
                case DOCKER_UNAVAILABLE -> new ApiError(503, "docker_unavailable", response.error().message());
                case DOCKER_ERROR -> new ApiError(502, "docker_error", response.error().message());
            };
        }
        return result(codec.encode(response));
    }

    /** The {@code result} object of an encoded response (or the whole message), as plain maps for the JSON answer. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(String frame) {
        try {
            Map<String, Object> message = (Map<String, Object>) JsonTree.parse(frame);
            Object result = message.get("result");
            return result instanceof Map ? (Map<String, Object>) result : message;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a frame this hub encoded", e);
        }
    }

    private String server(Context ctx) {
        String id = ctx.pathParam("id");
        return servers.require(id).id();
    }
}
