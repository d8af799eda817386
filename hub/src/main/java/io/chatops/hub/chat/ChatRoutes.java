package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.chatops.hub.http.Query;
import io.javalin.config.JavalinConfig;

/** The web chat room and the chat settings of CHATOPS.md: parse, call {@link ChatRoom} or {@link ChatEngine}, render. */
public final class ChatRoutes {
    private final ChatRoom room;
    private final ChatEngine engine;

    public ChatRoutes(ChatRoom room, ChatEngine engine) {
        this.room = room;
        this.engine = engine;
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
    }
}
