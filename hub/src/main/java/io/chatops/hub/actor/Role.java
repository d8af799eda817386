package io.chatops.hub.actor;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** What a user may do; each role includes the ones before it. */
public enum Role implements RouteRole {
    /** Read everything. */
    VIEWER,
    /** Also run commands and Docker actions. */
    OPERATOR,
    /** Also manage users, servers, API keys and settings. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} ({@code viewer}, …), or null. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.wireName().equals(text)) {
                return role;
            }
        }
        return null;
    }
}
