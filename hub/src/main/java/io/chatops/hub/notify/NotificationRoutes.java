package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.Body;
import io.chatops.hub.http.Query;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** The channel and delivery routes of ALERTS.md: parse, call {@link NotificationService}, render. */
public final class NotificationRoutes {
    private final NotificationService notifications;

    public NotificationRoutes(NotificationService notifications) {
        this.notifications = notifications;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/notification-channels", ctx -> ctx.json(notifications.channels(AccessControl.actor(ctx))), Role.VIEWER);
        config.routes.post("/api/v1/notification-channels", ctx -> ctx.status(201).json(notifications.create(AccessControl.actor(ctx),
                body(ctx))), Role.OPERATOR);
        config.routes.get("/api/v1/notification-channels/{id}", ctx -> ctx.json(notifications.channel(AccessControl.actor(ctx),
                ctx.pathParam("id"))), Role.VIEWER);
        config.routes.patch("/api/v1/notification-channels/{id}", ctx -> ctx.json(notifications.update(AccessControl.actor(ctx),
                ctx.pathParam("id"), body(ctx))), Role.OPERATOR);
        config.routes.delete("/api/v1/notification-channels/{id}", ctx -> {
            notifications.delete(AccessControl.actor(ctx), ctx.pathParam("id"));
            ctx.status(204);
        }, Role.OPERATOR);
        config.routes.post("/api/v1/notification-channels/{id}/test", ctx -> ctx.json(notifications.test(AccessControl.actor(ctx),
                ctx.pathParam("id"))), Role.OPERATOR);
        config.routes.get("/api/v1/notifications", ctx -> ctx.json(notifications.deliveries(AccessControl.actor(ctx),
                ctx.queryParam("channel_id"), ctx.queryParam("state"),
                Query.limit(ctx, NotificationService.DEFAULT_LIMIT, NotificationService.MAX_LIMIT))), Role.VIEWER);
    }

    private static JsonNode body(Context ctx) {
        return Body.of(ctx).tree();
    }
}
