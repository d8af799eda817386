package io.chatops.hub.events;

import io.chatops.hub.actor.Role;
import io.chatops.hub.http.Query;
import io.chatops.hub.servers.ServerStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/** {@code GET /servers/{id}/events?from=&to=}: the operator events of a server's charts (viewer). */
public final class EventRoutes {
    /** As long as the longest chart range. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    private final ServerEvents events;
    private final ServerStore servers;
    private final Clock clock;

    public EventRoutes(ServerEvents events, ServerStore servers, Clock clock) {
        this.events = events;
        this.servers = servers;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers/{id}/events", this::list, Role.VIEWER);
    }

    private void list(Context ctx) {
        String id = ctx.pathParam("id");
        servers.require(id);
        Query.Range range = Query.range(ctx, clock.instant(), Duration.ofHours(1), MAX_RANGE);
        ctx.json(events.between(id, range.from().toEpochMilli(), range.to().toEpochMilli()).stream().map(ServerEvents.Event::json).toList());
    }
}
