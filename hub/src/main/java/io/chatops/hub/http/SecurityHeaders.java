package io.chatops.hub.http;

import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Headers on every answer, whatever answers it: no content sniffing, no framing, no referrer, no
 * caching (API answers hold keys and tokens once) and nothing run as a page; over TLS, browsers
 * are told to use nothing else (HSTS). The web interface's files replace the last two with their
 * own ({@code web.WebInterface}).
 */
public final class SecurityHeaders {
    private static final Map<String, String> EVERY_ANSWER = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");
    private static final Map<String, String> NOT_A_PAGE = Map.of(
            "Cache-Control", "no-store",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    static final String HSTS = "max-age=31536000";

    private SecurityHeaders() {
    }

    /** {@code tls}: the hub itself serves https. */
    public static void register(JavalinConfig config, boolean tls) {
        config.routes.before(ctx -> apply(tls, ctx::header));
    }

    /** Sets the headers every answer carries. */
    static void apply(boolean tls, BiConsumer<String, String> header) {
        Map<String, String> headers = new LinkedHashMap<>(EVERY_ANSWER);
        headers.putAll(NOT_A_PAGE);

        if (tls) {
            headers.put("Strict-Transport-Security", HSTS);
        }
        headers.forEach(header);
    }
}
