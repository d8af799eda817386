package io.chatops.hub.auth;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a request a browser made with the session cookie comes from a page of this hub. Browsers
 * send {@code Origin} with every WebSocket handshake and every cross-origin request, and no page can
 * forge it; the session cookie's SameSite alone lets a page on a sibling subdomain ("same site") use
 * the cookie. So a cookie-authenticated request whose {@code Origin} is neither the hub's public URL
 * nor the address the request was sent to is refused. A request without {@code Origin} comes from
 * no browser page (curl, an agent, a script with a token) and is left to the other checks.
 */
public final class SameOrigin {
    private final String publicOrigin;
    private final URI publicUrl;

    /** {@code publicUrl}: the address users open the hub at (behind a proxy, the proxy's). */
    public SameOrigin(URI publicUrl) {
        this.publicUrl = publicUrl;
        this.publicOrigin = normalize(publicUrl.getScheme(), publicUrl.getHost(), publicUrl.getPort());
    }

    /**
     * Why a request with these headers is refused, or empty when it is not: {@code origin} is its
     * {@code Origin} header, {@code host} its {@code Host} header, {@code secure} whether it came over TLS.
     */
    public Optional<String> refusal(String origin, String host, boolean secure) {
        if (origin == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("the Origin header " + shown(origin) + " is not an origin");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            // "null": a sandboxed frame, a file, a redirect across origins.
            return Optional.of("requests from an opaque origin (" + shown(origin) + ") are refused");
        }
        String requested = normalize(uri.getScheme(), uri.getHost(), uri.getPort());
        if (requested.equals(publicOrigin) || requested.equals(hostOrigin(secure ? "https" : "http", host))) {
            return Optional.empty();
        }
        return Optional.of("a page of " + shown(origin) + " may not act with this hub's session cookie; open the hub at " + publicUrl);
    }

    /** The origin the request was sent to: its scheme and its Host header. */
    private static String hostOrigin(String scheme, String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(scheme + "://" + host.strip());
            return uri.getHost() == null ? null : normalize(scheme, uri.getHost(), uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalize(String scheme, String host, int port) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        int effective = port != -1 ? port : lower.equals("https") ? 443 : lower.equals("http") ? 80 : -1;
        return lower + "://" + host.toLowerCase(Locale.ROOT) + ":" + effective;
    }

    private static String shown(String origin) {
        return origin.length() > 100 ? origin.substring(0, 100) + "…" : origin;
    }
}
