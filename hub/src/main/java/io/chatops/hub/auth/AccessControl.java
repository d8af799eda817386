package io.chatops.hub.auth;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.http.ApiError;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every matched route that names roles: finds the caller by bearer token or session
 * cookie, requires the CSRF header and a page of this hub ({@link SameOrigin}) on state-changing
 * requests made with the cookie, and refuses callers whose role is too low. Routes without roles
 * (health, the agents' endpoint, sign-in) are public.
 */
public final class AccessControl {
    public static final String SESSION_COOKIE = "chatops_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PRINCIPAL = "principal";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final SessionStore sessions;
    private final TokenStore tokens;
    private final SameOrigin sameOrigin;

    public AccessControl(SessionStore sessions, TokenStore tokens, SameOrigin sameOrigin) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.sameOrigin = sameOrigin;
    }

    public void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            return;
        }
        Principal principal = authenticate(ctx).orElseThrow(() -> ApiError.unauthorized("sign in, or send Authorization: Bearer <token>"));
        if (principal.viaSession() && !SAFE_METHODS.contains(ctx.method().name())) {
            if (!principal.csrfToken().equals(ctx.header(CSRF_HEADER))) {
                throw ApiError.forbidden("missing or wrong " + CSRF_HEADER + " header");
            }
            crossSite(ctx.header("Origin"), ctx.header("Host"), "https".equals(ctx.scheme())).ifPresent(why -> {
                throw ApiError.forbidden(why);
            });
        }
        Role needed = (Role) roles.iterator().next();
        if (!principal.role().includes(needed)) {
            throw ApiError.forbidden("this needs the " + needed.wireName() + " role; you are " + principal.role().wireName());
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    Optional<Principal> authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && (!authorization.startsWith("Bearer ") || authorization.length() > 200)) {
            throw ApiError.unauthorized("the Authorization header must be Bearer <token>");
        }
        return authenticate(ctx.cookie(SESSION_COOKIE), authorization, null);
    }

    /** Why a request made with the session cookie from this {@code Origin} to this {@code Host} is refused, or empty. */
    public Optional<String> crossSite(String origin, String host, boolean secure) {
        return sameOrigin.refusal(origin, host, secure);
    }

    /** The caller by bearer header, query token (WebSocket clients cannot set headers) or session cookie. */
    public Optional<Principal> authenticate(String cookie, String authorization, String queryToken) {
        if (authorization != null && authorization.startsWith("Bearer ") && authorization.length() <= 200) {
            return tokens.find(authorization.substring("Bearer ".length()).strip());
        }
        if (queryToken != null && queryToken.length() <= 200) {
            return tokens.find(queryToken);
        }
        if (cookie != null && cookie.length() <= 200) {
            return sessions.find(cookie);
        }
        return Optional.empty();
    }

    /** The caller of a route that names roles, as the actor that services take: web with a session, api with a token. */
    public static Actor actor(Context ctx) {
        Principal principal = principal(ctx);
        return new Actor(principal.userId(), principal.username(), principal.role(),
                principal.viaSession() ? Actor.Source.WEB : Actor.Source.API, ctx.ip());
    }

    /** The caller of a route that names roles; set by {@link #check}. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal: the route names no roles");
        }
        return principal;
    }
}
