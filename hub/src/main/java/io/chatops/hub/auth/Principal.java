package io.chatops.hub.auth;

import io.chatops.hub.actor.Role;

/**
 * Who is making a request. {@code csrfToken} is set for browser sessions (cookie), whose
 * state-changing requests must echo it; bearer tokens need none.
 *
 * @param sessionHash the hash of the session token, to end this session; null for bearer tokens
 */
public record Principal(String userId, String username, Role role, String sessionHash, String csrfToken) {
    public boolean viaSession() {
        return sessionHash != null;
    }
}
