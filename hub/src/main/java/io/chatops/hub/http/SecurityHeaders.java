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
    static final String HSTS = "max-age=31536000";
    private static final Map<String, String> OVER_HTTP = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    private static final Map<String, String> OVER_TLS = with(OVER_HTTP, "Strict-Transport-Security", HSTS);

    private SecurityHeaders() {
    }

    /** {@code tls}: the hub itself serves https. */
    public static void register(JavalinConfig config, boolean tls) {
        config.routes.before(ctx -> apply(tls, ctx::header));
    }

    /** Sets the headers every answer carries. */
    static void apply(boolean tls, BiConsumer<String, String> header) {
        (tls ? OVER_TLS : OVER_HTTP).forEach(header);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return Map.copyOf(more);
    }
}
