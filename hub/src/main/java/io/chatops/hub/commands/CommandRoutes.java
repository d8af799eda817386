package io.chatops.hub.commands;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.agents.AgentUnavailable;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.Body;
import io.chatops.hub.http.Query;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Command;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/** The {@code /commands} routes of API.md: parse, call {@link CommandService}, render. */
public final class CommandRoutes {
    private final CommandService commands;
    private final ServerStore servers;

    public CommandRoutes(CommandService commands, ServerStore servers) {
        this.commands = commands;
        this.servers = servers;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/api/v1/servers/{id}/commands", this::run, Role.OPERATOR);
        config.routes.get("/api/v1/servers/{id}/commands", ctx -> ctx.json(commands.history(AccessControl.actor(ctx),
                servers.require(ctx.pathParam("id")).id(), Query.limit(ctx, 50, CommandService.MAX_HISTORY))
                .stream().map(CommandRecord::json).toList()), Role.VIEWER);
        config.routes.get("/api/v1/commands/{id}", ctx -> ctx.json(commands.find(AccessControl.actor(ctx), ctx.pathParam("id")).json()),
                Role.VIEWER);
        config.routes.post("/api/v1/commands/{id}/cancel", ctx -> {
            Actor actor = AccessControl.actor(ctx);
            commands.cancel(actor, ctx.pathParam("id"));
            ctx.status(202).json(commands.find(actor, ctx.pathParam("id")).json());
        }, Role.OPERATOR);
    }

    private void run(Context ctx) {
        Actor actor = AccessControl.actor(ctx);
        String serverId = servers.require(ctx.pathParam("id")).id();
        Body body = Body.of(ctx);
        String command = body.text("command", CommandService.MAX_COMMAND_CHARS);
        Duration timeout = body.has("timeout_seconds")
                ? Duration.ofSeconds(body.integer("timeout_seconds", 1, Command.MAX_TIMEOUT_SECONDS))
                : CommandService.DEFAULT_TIMEOUT;
        CommandService.Started started = commands.run(actor, serverId, command, timeout);
        if (!"true".equals(ctx.queryParam("wait"))) {
            ctx.status(202).json(commands.find(actor, started.id()).json());
            return;
        }
        try {
            ctx.json(started.finished().join().json());
        } catch (CompletionException e) {
            if (e.getCause() instanceof AgentUnavailable unavailable) {
                throw unavailable;
            }
            throw e;
        }
    }
}
