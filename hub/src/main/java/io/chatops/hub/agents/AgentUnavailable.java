package io.chatops.hub.agents;

import io.chatops.hub.http.ApiError;

/**
 * A request for a server's agent that the agent cannot serve: it is not connected, it did not
 * answer in time, or its own configuration disables what was asked. Built only here, so that every
 * front end tells these apart the same way; the REST API answers 503, 504 and 409.
 */
public final class AgentUnavailable extends ApiError {
    public enum Reason {
        OFFLINE(503, "agent_offline"),
        NO_ANSWER(504, "agent_timeout"),
        CAPABILITY_DISABLED(409, "capability_disabled");

        private final int httpStatus;
        private final String code;

        Reason(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }
    }

    private final Reason reason;

    private AgentUnavailable(Reason reason, String message) {
        super(reason.httpStatus, reason.code, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static AgentUnavailable offline(String serverId) {
        return new AgentUnavailable(Reason.OFFLINE, "no agent of server " + serverId + " is connected");
    }

    /** {@code consequence} tells what the caller should know, like "the command c-… may still be running". */
    public static AgentUnavailable noAnswer(String consequence) {
        return new AgentUnavailable(Reason.NO_ANSWER, "the agent did not answer in time" + (consequence == null ? "" : "; " + consequence));
    }

    /** {@code what} names the capability and the agent flag that turned it off. */
    public static AgentUnavailable capabilityDisabled(String serverId, String what) {
        return new AgentUnavailable(Reason.CAPABILITY_DISABLED, "the agent of server " + serverId + " does not allow " + what);
    }
}
