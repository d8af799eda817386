package io.chatops.hub.auth;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.http.Body;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/** Sign-in, sessions, personal API tokens and (for admins) users: the {@code /auth} and {@code /users} routes of API.md. */
public final class AuthRoutes {
    static final int MAX_NAME = 64;
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 256;
    /** How long a refused sign-in waits for its answer: nothing to a person, a cap on a brute-forcer's pace. */
    static final Duration REFUSAL_DELAY = Duration.ofSeconds(1);

    private final UserStore users;
    private final SessionStore sessions;
    private final TokenStore tokens;
    private final LoginLimiter limiter;
    private final AuditLog audit;
    private final boolean secureCookies;
    /**
     * Passwords checked at once. Each check is Argon2id's 19 MiB and about 50 ms of a core: 50
     * brute-forcers whose first guesses all came before the limiter knew of any failure made the hub
     * check 46 passwords together (+900 MiB RSS), and 200 agents' acknowledgements waited 1.3 s (p99).
     * One at a time, and the limiter asked again once it is this one's turn, the limit holds.
     */
    private final Semaphore verifications = new Semaphore(1, true);

    public AuthRoutes(UserStore users, SessionStore sessions, TokenStore tokens, LoginLimiter limiter, AuditLog audit,
            boolean secureCookies) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.limiter = limiter;
        this.audit = audit;
        this.secureCookies = secureCookies;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/api/v1/auth/login", this::login);
        config.routes.post("/api/v1/auth/logout", this::logout, Role.VIEWER);
        config.routes.get("/api/v1/auth/me", this::me, Role.VIEWER);
        config.routes.post("/api/v1/auth/password", this::changePassword, Role.VIEWER);
        config.routes.post("/api/v1/auth/tokens", this::createToken, Role.VIEWER);
        config.routes.get("/api/v1/auth/tokens", ctx -> ctx.json(tokens.list(AccessControl.principal(ctx).userId())), Role.VIEWER);
        config.routes.delete("/api/v1/auth/tokens/{id}", this::revokeToken, Role.VIEWER);
        config.routes.get("/api/v1/users", ctx -> ctx.json(users.all().stream().map(AuthRoutes::user).toList()), Role.ADMIN);
        config.routes.post("/api/v1/users", this::createUser, Role.ADMIN);
        config.routes.patch("/api/v1/users/{id}", this::updateUser, Role.ADMIN);
        config.routes.delete("/api/v1/users/{id}", this::deleteUser, Role.ADMIN);
    }

    private void login(Context ctx) {
        Body body = Body.of(ctx);
        String username = body.text("username", MAX_NAME);
        String password = body.text("password", MAX_PASSWORD);
        String ip = ctx.ip();
        Actor attempt = Actor.anonymous(username, Actor.Source.WEB, ip);
        refuseIfLimited(username, ip, attempt);
        Optional<UserStore.User> user;
        verifications.acquireUninterruptibly();
        try {
            refuseIfLimited(username, ip, attempt); // again: the failures of the guesses this one waited behind count
            user = users.byUsername(username);
            if (user.isEmpty() || !Passwords.matches(password, user.get().passwordHash())) {
                limiter.failed(username, ip);
                audit.record(new AuditEvent(attempt, "login", "user:" + username, "denied", null));
                throw ApiError.unauthorized("wrong username or password");
            }
        } finally {
            verifications.release();
        }
        SessionStore.NewSession session = sessions.create(user.get().id());
        ctx.cookie(new Cookie(AccessControl.SESSION_COOKIE, session.token(), "/", -1, secureCookies, true, null,
                SameSite.STRICT));
        audit.record(new AuditEvent(attempt, "login", "user:" + username, "ok", null));
        ctx.json(Map.of("user", user(user.get()), "csrf_token", session.csrfToken()));
    }

    private void refuseIfLimited(String username, String ip, Actor attempt) {
        Optional<LoginLimiter.Refusal> refusal = limiter.check(username, ip);
        if (refusal.isPresent()) {
            if (refusal.get().record()) {
                audit.record(new AuditEvent(attempt, "login", "user:" + username, "rate_limited", refusal.get().refused() == 1 ? null
                        : refusal.get().refused() + " sign-ins refused since the last record of this"));
            }
            pause(REFUSAL_DELAY); // a brute-forcer waiting for its answer guesses at this pace at most
            throw new ApiError(429, "rate_limited", "too many failed sign-ins; wait a few minutes");
        }
    }

    /**
     * Who is signed in; a browser session also gets its CSRF token again, so that a reloaded page
     * or a new tab can make changes (only a same-origin page can read this answer).
     */
    private void me(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        Map<String, Object> json = user(users.byId(principal.userId()).orElseThrow());
        if (principal.viaSession()) {
            json.put("csrf_token", principal.csrfToken());
        }
        ctx.json(json);
    }

    private void logout(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        if (principal.viaSession()) {
            sessions.end(principal.sessionHash());
        }
        ctx.removeCookie(AccessControl.SESSION_COOKIE, "/");
        audit.record(new AuditEvent(AccessControl.actor(ctx), "logout", "user:" + principal.username(), "ok", null));
        ctx.status(204);
    }

    private void changePassword(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        Body body = Body.of(ctx);
        String current = body.text("current_password", MAX_PASSWORD);
        String replacement = password(body.text("new_password", MAX_PASSWORD));
        UserStore.User user = users.byId(principal.userId()).orElseThrow();
        if (!Passwords.matches(current, user.passwordHash())) {
            audit.record(new AuditEvent(AccessControl.actor(ctx), "password_change", "user:" + user.username(), "denied", null));
            throw new ApiError(400, "wrong_password", "the current password is wrong");
        }
        users.setPassword(user.id(), replacement);
        sessions.endAllOf(user.id(), principal.sessionHash());
        audit.record(new AuditEvent(AccessControl.actor(ctx), "password_change", "user:" + user.username(), "ok", null));
        ctx.status(204);
    }

    private void createToken(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        Body body = Body.of(ctx);
        TokenStore.NewToken token = tokens.create(principal.userId(), body.text("name", MAX_NAME), body.optionalInstant("expires_at"));
        audit.record(new AuditEvent(AccessControl.actor(ctx), "token_create", "token:" + token.id(), "ok", null));
        ctx.status(201).json(Map.of("id", token.id(), "token", token.token()));
    }

    private void revokeToken(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        String id = ctx.pathParam("id");
        if (!tokens.revoke(principal.userId(), id)) {
            throw ApiError.notFound("you have no token " + id);
        }
        audit.record(new AuditEvent(AccessControl.actor(ctx), "token_revoke", "token:" + id, "ok", null));
        ctx.status(204);
    }

    private void createUser(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        Body body = Body.of(ctx);
        String username = body.text("username", MAX_NAME);
        if (!username.matches("[A-Za-z0-9._-]+")) {
            throw ApiError.badRequest("field 'username' may hold only letters, digits, '.', '_' and '-'");
        }
        String password = password(body.text("password", MAX_PASSWORD));
        Role role = role(body.text("role", 16));
        if (users.byUsername(username).isPresent()) {
            throw ApiError.conflict("user " + username + " already exists");
        }
        UserStore.User created = users.create(username, password, role);
        audit.record(new AuditEvent(AccessControl.actor(ctx), "user_create", "user:" + username, "ok", "role " + role.wireName()));
        ctx.status(201).json(user(created));
    }

    private void updateUser(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        UserStore.User user = users.byId(ctx.pathParam("id")).orElseThrow(() -> ApiError.notFound("user " + ctx.pathParam("id") + " does not exist"));
        Body body = Body.of(ctx);
        if (body.has("role")) {
            Role role = role(body.text("role", 16));
            if (user.role() == Role.ADMIN && role != Role.ADMIN && users.countAdmins() == 1) {
                throw ApiError.conflict("the last admin cannot lose the admin role");
            }
            users.setRole(user.id(), role);
            audit.record(new AuditEvent(AccessControl.actor(ctx), "user_role", "user:" + user.username(), "ok", "role " + role.wireName()));
        }
        if (body.has("password")) {
            users.setPassword(user.id(), password(body.text("password", MAX_PASSWORD)));
            sessions.endAllOf(user.id(), null);
            audit.record(new AuditEvent(AccessControl.actor(ctx), "user_password", "user:" + user.username(), "ok", null));
        }
        ctx.json(user(users.byId(user.id()).orElseThrow()));
    }

    private void deleteUser(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        UserStore.User user = users.byId(ctx.pathParam("id")).orElseThrow(() -> ApiError.notFound("user " + ctx.pathParam("id") + " does not exist"));
        if (user.role() == Role.ADMIN && users.countAdmins() == 1) {
            throw ApiError.conflict("the last admin cannot be deleted");
        }
        users.delete(user.id()); // sessions and tokens go with it (ON DELETE CASCADE)
        audit.record(new AuditEvent(AccessControl.actor(ctx), "user_delete", "user:" + user.username(), "ok", null));
        ctx.status(204);
    }

    private static String password(String password) {
        if (password.length() < MIN_PASSWORD) {
            throw ApiError.badRequest("a password needs at least " + MIN_PASSWORD + " characters");
        }
        return password;
    }

    private static Role role(String text) {
        Role role = Role.parse(text);
        if (role == null) {
            throw ApiError.badRequest("field 'role' must be viewer, operator or admin");
        }
        return role;
    }

    static Map<String, Object> user(UserStore.User user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", user.id());
        json.put("username", user.username());
        json.put("role", user.role().wireName());
        json.put("created_at", user.createdAt().toString());
        return json;
    }

    /** Waits on the request's own (virtual) thread, which costs the hub nothing. */
    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
