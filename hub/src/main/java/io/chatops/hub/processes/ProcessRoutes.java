package io.chatops.hub.processes;

import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /servers/{id}/processes?sort=cpu|memory&limit=10}: the server's busiest processes now. */
public final class ProcessRoutes {
    static final int DEFAULT_LIMIT = 10;

    private final ProcessService processes;
    private final ServerStore servers;

    public ProcessRoutes(ProcessService processes, ServerStore servers) {
        this.processes = processes;
        this.servers = servers;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/servers/{id}/processes", this::top, Role.VIEWER);
    }

    private void top(Context ctx) {
        String serverId = servers.require(ctx.pathParam("id")).id();
        ProcessesRequest.Sort sort = sort(ctx.queryParam("sort"));
        ProcessList list = processes.top(AccessControl.actor(ctx), serverId, sort, limit(ctx.queryParam("limit")));
        ctx.json(json(list, sort));
    }

    static Map<String, Object> json(ProcessList list, ProcessesRequest.Sort sort) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("taken_at", list.takenAt().toString());
        json.put("window_ms", list.windowMillis());
        json.put("sort", sort.name().toLowerCase(Locale.ROOT));
        json.put("total", list.total());
        List<Map<String, Object>> shown = list.processes().stream().map(ProcessService::json).toList();
        json.put("processes", shown);
        return json;
    }

    private static ProcessesRequest.Sort sort(String text) {
        if (text == null || text.isBlank() || text.equals("cpu")) {
            return ProcessesRequest.Sort.CPU;
        }
        if (text.equals("memory")) {
            return ProcessesRequest.Sort.MEMORY;
        }
        throw ApiError.badRequest("query parameter 'sort' must be cpu or memory");
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= ProcessesRequest.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("query parameter 'limit' must be a whole number from 1 to " + ProcessesRequest.MAX_LIMIT);
    }
}
