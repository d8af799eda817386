package io.chatops.hub.http;

import io.chatops.hub.db.StorageTrouble;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error as {@code {"error":{"code":…,"message":…}}}: the API's own, Javalin's (404, 405, 413
 * and its other refusals), the web server's ({@link JsonErrorHandler}) and anything unexpected,
 * which is a 500 whose details stay in the log, unless the storage failed ({@link StorageTrouble}: 507
 * for a full disk, 503 for a database out of reach).
 */
public final class ErrorResponses {
    /** REST bodies are small; anything larger is refused with 413 before it is read. */
    public static final long MAX_REQUEST_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static void register(JavalinConfig config) {
        config.http.maxRequestSize = MAX_REQUEST_BYTES;
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        config.routes.exception(ApiError.class, (e, ctx) -> answer(ctx, e.status(), e.code(), e.getMessage()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), code(e.getStatus()),
                e.getMessage() == null || e.getMessage().isBlank() ? "request refused" : e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            Optional<StorageTrouble> trouble = StorageTrouble.of(e);
            if (trouble.isPresent()) {
                LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), trouble.get().message);
                answer(ctx, trouble.get().status, trouble.get().code, trouble.get().message);
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal", "internal error; see the hub's log");
        });
        config.routes.error(404, ctx -> {
            if (!ctx.result().contains("\"error\"")) {
                answer(ctx, 404, "not_found", "no such route: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    static void answer(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message)));
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            case 431 -> "headers_too_large";
            default -> "http_" + status;
        };
    }
}
