package io.chatops.hub.servers;

import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.auth.Principal;
import io.chatops.hub.auth.Role;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** The {@code /servers} and {@code /api-keys} routes of API.md. */
public final class ServerRoutes {
    static final int MAX_NAME = 128;
    static final int MAX_TAGS = 32;

    private final ServerStore servers;
    private final ServerView view;
    private final AgentGateway gateway;
    private final AuditLog audit;

    public ServerRoutes(ServerStore servers, ServerView view, AgentGateway gateway, AuditLog audit) {
        this.servers = servers;
        this.view = view;
        this.gateway = gateway;
        this.audit = audit;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers", ctx -> ctx.json(view.all()), Role.VIEWER);
        config.routes.post("/api/v1/servers", this::create, Role.ADMIN);
        config.routes.get("/api/v1/servers/{id}", ctx -> ctx.json(view.one(existing(ctx).id())), Role.VIEWER);
        config.routes.patch("/api/v1/servers/{id}", this::update, Role.ADMIN);
        config.routes.delete("/api/v1/servers/{id}", this::delete, Role.ADMIN);
        config.routes.get("/api/v1/servers/{id}/api-keys", ctx -> ctx.json(servers.keys(existing(ctx).id())), Role.ADMIN);
        config.routes.post("/api/v1/servers/{id}/api-keys", this::createKey, Role.ADMIN);
        config.routes.delete("/api/v1/api-keys/{id}", this::revokeKey, Role.ADMIN);
    }

    private void create(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        Body body = Body.of(ctx);
        String name = body.text("name", MAX_NAME);
        List<String> tags = body.optionalStrings("tags", MAX_TAGS, 64);
        if (servers.byName(name).isPresent()) {
            throw ApiError.conflict("a server named " + name + " already exists");
        }
        ServerStore.Server server = servers.create(name, tags == null ? List.of() : tags);
        ServerStore.NewKey key = servers.createKey(server.id(), "default", null);
        audit.record(principal, null, ctx.ip(), "server_create", "server:" + server.id(), "ok", name);
        ctx.status(201).json(Map.of("server", view.one(server.id()),
                "api_key", Map.of("id", key.id(), "key", key.key(), "name", key.name())));
    }

    private void update(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        ServerStore.Server server = existing(ctx);
        Body body = Body.of(ctx);
        String name = body.optionalText("name", MAX_NAME);
        List<String> tags = body.optionalStrings("tags", MAX_TAGS, 64);
        if (name != null && !name.equals(server.name()) && servers.byName(name).isPresent()) {
            throw ApiError.conflict("a server named " + name + " already exists");
        }
        servers.update(server.id(), name, tags);
        audit.record(principal, null, ctx.ip(), "server_update", "server:" + server.id(), "ok", null);
        ctx.json(view.one(server.id()));
    }

    private void delete(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        ServerStore.Server server = existing(ctx);
        servers.delete(server.id());
        gateway.disconnectServer(server.id());
        audit.record(principal, null, ctx.ip(), "server_delete", "server:" + server.id(), "ok", server.name());
        ctx.status(204);
    }

    private void createKey(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        ServerStore.Server server = existing(ctx);
        Body body = ctx.body().isBlank() ? null : Body.of(ctx);
        String name = body == null ? null : body.optionalText("name", MAX_NAME);
        ServerStore.NewKey key = servers.createKey(server.id(), name == null ? "key" : name,
                body == null ? null : body.optionalInstant("expires_at"));
        audit.record(principal, null, ctx.ip(), "api_key_create", "server:" + server.id(), "ok", key.id());
        ctx.status(201).json(Map.of("id", key.id(), "key", key.key(), "name", key.name()));
    }

    private void revokeKey(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        String id = ctx.pathParam("id");
        String serverId = servers.revokeKey(id).orElseThrow(() -> ApiError.notFound("API key " + id + " does not exist"));
        gateway.disconnectKey(id);
        audit.record(principal, null, ctx.ip(), "api_key_revoke", "server:" + serverId, "ok", id);
        ctx.status(204);
    }

    private ServerStore.Server existing(Context ctx) {
        String id = ctx.pathParam("id");
        return servers.require(id);
    }
}
