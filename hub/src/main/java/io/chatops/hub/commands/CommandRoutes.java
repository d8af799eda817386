package io.chatops.hub.commands;

import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.auth.Role;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.chatops.hub.http.Query;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.Command;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/** The {@code /commands} routes of API.md. */
public final class CommandRoutes {
    /** A command line, not a script upload. */
    static final int MAX_COMMAND_CHARS = 16 * 1024;
    static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private final CommandService commands;
    private final ServerStore servers;

    public CommandRoutes(CommandService commands, ServerStore servers) {
        this.commands = commands;
        this.servers = servers;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/api/v1/servers/{id}/commands", this::run, Role.OPERATOR);
        config.routes.get("/api/v1/servers/{id}/commands", ctx -> ctx.json(commands.history(server(ctx), Query.limit(ctx, 50, 500))),
                Role.VIEWER);
        config.routes.get("/api/v1/commands/{id}", ctx -> ctx.json(commands.find(ctx.pathParam("id"))), Role.VIEWER);
        config.routes.post("/api/v1/commands/{id}/cancel", ctx -> {
            commands.cancel(AccessControl.principal(ctx), ctx.ip(), ctx.pathParam("id"));
            ctx.status(202).json(commands.find(ctx.pathParam("id")));
        }, Role.OPERATOR);
    }

    private void run(Context ctx) {
        String serverId = server(ctx);
        Body body = Body.of(ctx);
        String command = body.text("command", MAX_COMMAND_CHARS);
        int timeout = body.has("timeout_seconds") ? body.integer("timeout_seconds", 1, Command.MAX_TIMEOUT_SECONDS)
                : DEFAULT_TIMEOUT_SECONDS;
        CommandService.Started started = commands.run(AccessControl.principal(ctx), ctx.ip(), serverId, command, timeout);
        if (!"true".equals(ctx.queryParam("wait"))) {
            ctx.status(202).json(commands.find(started.id()));
            return;
        }
        Map<String, Object> record = started.finished().join();
        String error = String.valueOf(record.get("error"));
        if (error.startsWith("agent_timeout")) {
            throw new ApiError(504, "agent_timeout", "the agent did not answer in time; the command " + record.get("id")
                    + " may still be running");
        }
        ctx.json(record);
    }

    private String server(Context ctx) {
        String id = ctx.pathParam("id");
        return servers.require(id).id();
    }
}
