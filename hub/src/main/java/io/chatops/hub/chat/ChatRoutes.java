package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.chatops.hub.http.Query;
import io.javalin.config.JavalinConfig;

/**
 * The web chat room, the chat settings, identity links and the Slack and Mattermost endpoints of CHATOPS.md:
 * parse, call {@link ChatRoom}, {@link ChatEngine}, {@link SlackFront} or {@link MattermostFront}, render.
 */
public final class ChatRoutes {
    private final ChatRoom room;
    private final ChatEngine engine;
    private final SlackFront slack;
    private final MattermostFront mattermost;

    public ChatRoutes(ChatRoom room, ChatEngine engine, SlackFront slack, MattermostFront mattermost) {
        this.room = room;
        this.engine = engine;
        this.slack = slack;
        this.mattermost = mattermost;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/chat/messages", ctx -> ctx.json(room.messages(AccessControl.actor(ctx), ctx.queryParam("before"),
                Query.limit(ctx, ChatRoom.DEFAULT_LIMIT, ChatRoom.MAX_LIMIT))), Role.VIEWER);
        config.routes.post("/api/v1/chat/messages", ctx -> {
            JsonNode text = Body.of(ctx).tree().path("text");
            if (!text.isTextual()) {
                throw ApiError.badRequest("text must be the message, as text");
            }
            ctx.status(201).json(room.post(AccessControl.actor(ctx), text.textValue()));
        }, Role.VIEWER);
        config.routes.get("/api/v1/chat/settings", ctx -> ctx.json(engine.settings(AccessControl.actor(ctx))), Role.VIEWER);
        config.routes.put("/api/v1/chat/settings", ctx -> ctx.json(engine.updateSettings(AccessControl.actor(ctx), Body.of(ctx).tree())),
                Role.ADMIN);
        config.routes.post("/api/v1/chat/links/{nonce}", ctx -> ctx.json(engine.redeemLink(AccessControl.actor(ctx), ctx.pathParam("nonce"))),
                Role.VIEWER);
        config.routes.get("/api/v1/chat/identities", ctx -> ctx.json(engine.identities(AccessControl.actor(ctx))), Role.VIEWER);
        config.routes.delete("/api/v1/chat/identities/{id}", ctx -> {
            engine.unlink(AccessControl.actor(ctx), ctx.pathParam("id"));
            ctx.status(204);
        }, Role.VIEWER);
        config.routes.get("/api/v1/integrations/slack", ctx -> ctx.json(slack.settings(AccessControl.actor(ctx))), Role.ADMIN);
        config.routes.put("/api/v1/integrations/slack", ctx -> ctx.json(slack.updateSettings(AccessControl.actor(ctx), Body.of(ctx).tree())),
                Role.ADMIN);
        // Slack proves these requests with its signature, not with a hub session: no role.
        config.routes.post("/api/v1/integrations/slack/commands", ctx -> ctx.json(slack.command(ctx.bodyAsBytes(),
                ctx.header("X-Slack-Request-Timestamp"), ctx.header("X-Slack-Signature"))));
        config.routes.post("/api/v1/integrations/slack/interactions", ctx -> {
            slack.interaction(ctx.bodyAsBytes(), ctx.header("X-Slack-Request-Timestamp"), ctx.header("X-Slack-Signature"));
            ctx.status(200);
        });
        config.routes.get("/api/v1/integrations/mattermost", ctx -> ctx.json(mattermost.settings(AccessControl.actor(ctx))), Role.ADMIN);
        config.routes.put("/api/v1/integrations/mattermost", ctx -> ctx.json(mattermost.updateSettings(AccessControl.actor(ctx),
                Body.of(ctx).tree())), Role.ADMIN);
        // Mattermost proves these with the command's token and the hub's own signature on each button: no role.
        config.routes.post("/api/v1/integrations/mattermost/commands", ctx -> ctx.json(mattermost.command(ctx.bodyAsBytes(),
                ctx.header("Authorization"))));
        config.routes.post("/api/v1/integrations/mattermost/actions", ctx -> ctx.json(mattermost.action(ctx.bodyAsBytes())));
    }
}
