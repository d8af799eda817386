package io.chatops.hub.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The web interface: the single-page app that the {@code web} module built into {@code /web} on
 * the classpath, served at the root. It is public like any login page; everything it shows comes
 * from the API, which checks every request. The headers keep the page from being framed, from
 * running anything but its own scripts and from leaking addresses in referrers.
 */
public final class WebInterface {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public void register(JavalinConfig config) {
        if (WebInterface.class.getResource("/web/index.html") == null) {
            throw new IllegalStateException("the hub was built without its web interface (build from the repository root)");
        }
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            // Asset names carry a hash of their content, and index.html is tiny: revalidating each is cheap and never stale.
            files.headers = Map.of(
                    "Cache-Control", "no-cache",
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "X-Frame-Options", "DENY",
                    "Referrer-Policy", "no-referrer");
        });
    }
}
