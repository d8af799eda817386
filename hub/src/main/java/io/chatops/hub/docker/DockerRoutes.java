package io.chatops.hub.docker;

import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.MessageCodec;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Docker routes of API.md: parse, call {@link DockerService}, render. */
public final class DockerRoutes {
    private final DockerService docker;
    private final ServerStore servers;
    private final MessageCodec codec = new MessageCodec();

    public DockerRoutes(DockerService docker, ServerStore servers) {
        this.docker = docker;
        this.servers = servers;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers/{id}/containers", this::list, Role.VIEWER);
        config.routes.get("/api/v1/servers/{id}/containers/{container}", ctx ->
                ctx.json(json(docker.inspect(AccessControl.actor(ctx), server(ctx), ctx.pathParam("container")))), Role.VIEWER);
        config.routes.get("/api/v1/servers/{id}/containers/{container}/logs", this::logs, Role.VIEWER);
        for (DockerCommand.Action action : List.of(DockerCommand.Action.START, DockerCommand.Action.STOP, DockerCommand.Action.RESTART)) {
            config.routes.post("/api/v1/servers/{id}/containers/{container}/" + action.name().toLowerCase(Locale.ROOT),
                    ctx -> ctx.json(json(docker.control(AccessControl.actor(ctx), server(ctx), action, ctx.pathParam("container")))),
                    Role.OPERATOR);
        }
    }

    private void list(Context ctx) {
        Containers latest = docker.containers(AccessControl.actor(ctx), server(ctx)).orElse(null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reported_at", latest == null ? null : latest.timestamp().toString());
        json.put("containers", latest == null ? List.of() : json(DockerResult.ofContainers(latest.containers())).get("containers"));
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
        ctx.json(json(docker.logs(AccessControl.actor(ctx), server(ctx), ctx.pathParam("container"), tail, since)));
    }

    /** A result as the wire protocol writes it, as plain maps for the JSON answer. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> json(DockerResult result) {
        try {
            Map<String, Object> message = (Map<String, Object>) JsonTree.parse(codec.encode(DockerResponse.success("render", result)));
            return (Map<String, Object>) message.get("result");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a frame this hub encoded", e);
        }
    }

    private String server(Context ctx) {
        return servers.require(ctx.pathParam("id")).id();
    }
}
