package io.chatops.hub.audit;

import io.chatops.hub.actor.Actor;

/**
 * One audited action: who did it through which front end, what, to what, and how it ended.
 *
 * @param target what was acted on, as {@code kind:id} ({@code server:…}, {@code user:…}, {@code token:…})
 * @param outcome {@code ok}, {@code denied}, a command's status, a failure code
 * @param detail free text for people (a command line, a container name), or null
 */
public record AuditEvent(Actor actor, String action, String target, String outcome, String detail) {
    public AuditEvent {
        if (actor == null || action == null || outcome == null) {
            throw new IllegalArgumentException("an audit event needs an actor, an action and an outcome");
        }
    }

    /** The target of an action on a server. */
    public static String server(String serverId) {
        return "server:" + serverId;
    }
}
