package io.chatops.hub.servers;

import io.chatops.hub.actor.Role;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.chatops.protocol.Settings;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code /servers} and {@code /api-keys} routes of API.md. */
public final class ServerRoutes {
    static final int MAX_NAME = 128;
    static final int MAX_TAGS = 32;
    /** PATCH field: a number of seconds, or null to follow the hub's --metrics-interval again. */
    static final String INTERVAL_FIELD = "metrics_interval_seconds";

    private final ServerStore servers;
    private final ServerView view;
    private final AgentLinks links;
    private final AuditLog audit;

    public ServerRoutes(ServerStore servers, ServerView view, AgentLinks links, AuditLog audit) {
        this.servers = servers;
        this.view = view;
        this.links = links;
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
        Body body = Body.of(ctx);
        String name = body.text("name", MAX_NAME);
        List<String> tags = body.optionalStrings("tags", MAX_TAGS, 64);
        if (servers.byName(name).isPresent()) {
            throw ApiError.conflict("a server named " + name + " already exists");
        }
        ServerStore.Server server = servers.create(name, tags == null ? List.of() : tags);
        ServerStore.NewKey key = servers.createKey(server.id(), "default", null);
        audit.record(new AuditEvent(AccessControl.actor(ctx), "server_create", AuditEvent.server(server.id()), "ok", name));
        ctx.status(201).json(Map.of("server", view.one(server.id()),
                "api_key", Map.of("id", key.id(), "key", key.key(), "name", key.name())));
    }

    private void update(Context ctx) {
        ServerStore.Server server = existing(ctx);
        Body body = Body.of(ctx);
        String name = body.optionalText("name", MAX_NAME);
        List<String> tags = body.optionalStrings("tags", MAX_TAGS, 64);
        Optional<Integer> interval = body.mentions(INTERVAL_FIELD)
                ? Optional.ofNullable(body.has(INTERVAL_FIELD)
                        ? body.integer(INTERVAL_FIELD, Settings.MIN_INTERVAL_SECONDS, Settings.MAX_INTERVAL_SECONDS) : null)
                : null;
        if (name != null && !name.equals(server.name()) && servers.byName(name).isPresent()) {
            throw ApiError.conflict("a server named " + name + " already exists");
        }
        servers.update(server.id(), new ServerStore.Change(name, tags, interval));
        if (interval != null) {
            links.intervalChanged(server.id(), interval.orElse(null));
        }
        audit.record(new AuditEvent(AccessControl.actor(ctx), "server_update", AuditEvent.server(server.id()), "ok",
                interval == null ? null : "metrics interval " + interval.map(s -> s + " s").orElse("default")));
        ctx.json(view.one(server.id()));
    }

    private void delete(Context ctx) {
        ServerStore.Server server = existing(ctx);
        servers.delete(server.id());
        links.disconnectServer(server.id());
        audit.record(new AuditEvent(AccessControl.actor(ctx), "server_delete", AuditEvent.server(server.id()), "ok", server.name()));
        ctx.status(204);
    }

    private void createKey(Context ctx) {
        ServerStore.Server server = existing(ctx);
        Body body = ctx.body().isBlank() ? null : Body.of(ctx);
        String name = body == null ? null : body.optionalText("name", MAX_NAME);
        ServerStore.NewKey key = servers.createKey(server.id(), name == null ? "key" : name,
                body == null ? null : body.optionalInstant("expires_at"));
        audit.record(new AuditEvent(AccessControl.actor(ctx), "api_key_create", AuditEvent.server(server.id()), "ok", key.id()));
        ctx.status(201).json(Map.of("id", key.id(), "key", key.key(), "name", key.name()));
    }

    private void revokeKey(Context ctx) {
        String id = ctx.pathParam("id");
        String serverId = servers.revokeKey(id).orElseThrow(() -> ApiError.notFound("API key " + id + " does not exist"));
        links.disconnectKey(id);
        audit.record(new AuditEvent(AccessControl.actor(ctx), "api_key_revoke", AuditEvent.server(serverId), "ok", id));
        ctx.status(204);
    }

    private ServerStore.Server existing(Context ctx) {
        String id = ctx.pathParam("id");
        return servers.require(id);
    }
}
