package io.chatops.hub.actor;

import io.chatops.hub.http.ApiError;
import java.util.Locale;

/**
 * Who asks a service to act, and through which front end: every service takes one and checks the
 * role itself with {@link #require}, so that no front end (REST, the web interface, a chat
 * platform) can skip a check by forgetting it. An actor that has not signed in (a failed sign-in,
 * named in the audit log by the name it tried) has no user id and no role.
 *
 * @param address the client's IP address, or the chat platform's user id for chat front ends
 */
public record Actor(String userId, String username, Role role, Source source, String address) {

    /** The front end an action came through. */
    public enum Source {
        /** The web interface, signed in with a session cookie. */
        WEB,
        /** A script with an API token. */
        API,
        /** The chat room of the web interface. */
        WEB_CHAT,
        SLACK,
        MATTERMOST,
        /** An agent, named by its host: only in records of what an agent was refused. */
        AGENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Someone who has not signed in (yet): named by what they typed. */
    public static Actor anonymous(String attemptedName, Source source, String address) {
        return new Actor(null, attemptedName, null, source, address);
    }

    /** Refuses (403, naming both roles) unless this actor's role includes {@code needed}. */
    public void require(Role needed) {
        if (role == null || !role.includes(needed)) {
            throw ApiError.forbidden("this needs the " + needed.wireName() + " role; you are "
                    + (role == null ? "not signed in" : role.wireName()));
        }
    }
}
