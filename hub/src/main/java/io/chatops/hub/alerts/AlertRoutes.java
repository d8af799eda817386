package io.chatops.hub.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.chatops.hub.http.Query;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/** The rule, alert and silence routes of ALERTS.md: parse, call {@link AlertService}, render. */
public final class AlertRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertService alerts;

    public AlertRoutes(AlertService alerts) {
        this.alerts = alerts;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/alert-rules", ctx -> ctx.json(alerts.rules(AccessControl.actor(ctx))), Role.VIEWER);
        config.routes.post("/api/v1/alert-rules", ctx -> ctx.status(201).json(alerts.createRule(AccessControl.actor(ctx), body(ctx))),
                Role.OPERATOR);
        config.routes.post("/api/v1/alert-rules/preview", ctx -> ctx.json(alerts.preview(AccessControl.actor(ctx), body(ctx))),
                Role.VIEWER);
        config.routes.get("/api/v1/alert-rules/{id}", ctx -> ctx.json(alerts.rule(AccessControl.actor(ctx), ctx.pathParam("id"))),
                Role.VIEWER);
        config.routes.patch("/api/v1/alert-rules/{id}", ctx -> ctx.json(alerts.updateRule(AccessControl.actor(ctx),
                ctx.pathParam("id"), body(ctx))), Role.OPERATOR);
        config.routes.delete("/api/v1/alert-rules/{id}", ctx -> {
            alerts.deleteRule(AccessControl.actor(ctx), ctx.pathParam("id"));
            ctx.status(204);
        }, Role.OPERATOR);
        config.routes.get("/api/v1/alerts", this::list, Role.VIEWER);
        config.routes.get("/api/v1/silences", ctx -> ctx.json(alerts.silences(AccessControl.actor(ctx))), Role.VIEWER);
        config.routes.post("/api/v1/silences", ctx -> ctx.status(201).json(alerts.silence(AccessControl.actor(ctx), body(ctx))),
                Role.OPERATOR);
        config.routes.delete("/api/v1/silences/{id}", ctx -> {
            alerts.deleteSilence(AccessControl.actor(ctx), ctx.pathParam("id"));
            ctx.status(204);
        }, Role.OPERATOR);
        config.routes.post("/api/v1/alerts/{id}/ack", ctx -> {
            JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : body(ctx);
            JsonNode comment = body.path("comment");
            if (!comment.isMissingNode() && !comment.isNull() && !comment.isTextual()) {
                throw ApiError.badRequest("comment must be text");
            }
            ctx.json(alerts.acknowledge(AccessControl.actor(ctx), ctx.pathParam("id"), comment.isTextual() ? comment.textValue() : null));
        }, Role.OPERATOR);
    }

    private void list(Context ctx) {
        String state = ctx.queryParam("state");
        List<String> states = state == null || state.isBlank() ? List.of() : Arrays.asList(state.split(","));
        ctx.json(alerts.alerts(AccessControl.actor(ctx), states, ctx.queryParam("server_id"), ctx.queryParam("rule_id"),
                Query.limit(ctx, AlertService.DEFAULT_LIMIT, AlertService.MAX_LIMIT)));
    }

    private static JsonNode body(Context ctx) {
        return Body.of(ctx).tree();
    }
}
