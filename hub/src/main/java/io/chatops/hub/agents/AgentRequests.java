package io.chatops.hub.agents;

import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The relay that services use to ask a server's agent something: checks that the agent is
 * connected and allows it, sends the request and matches the answer by id. Every way it can fail is
 * an {@link AgentUnavailable}.
 */
public final class AgentRequests {
    private final AgentSessions sessions;
    private final PendingRequests pending = new PendingRequests();

    public AgentRequests(AgentSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * The connected agent's inventory, when it allows every one of {@code needed} ({@link io.chatops.protocol.Capability}); otherwise
     * {@link AgentUnavailable} naming {@code whatIsDisabled} (the capability and its agent flag).
     */
    public AgentInfo require(String serverId, String whatIsDisabled, String... needed) {
        AgentInfo agent = sessions.agent(serverId).orElseThrow(() -> AgentUnavailable.offline(serverId));
        for (String capability : needed) {
            if (!agent.can(capability)) {
                throw AgentUnavailable.capabilityDisabled(serverId, whatIsDisabled);
            }
        }
        return agent;
    }

    /**
     * Sends {@code request} (a {@code command} or {@code docker_command} with this {@code id}) and
     * returns its final answer: the response, or the agent's {@code error} about it. Throws
     * {@link AgentUnavailable} at once when the agent is offline; the future fails with it when no
     * answer came within {@code timeout}.
     */
    public CompletableFuture<Message> send(String serverId, String id, Message request, Duration timeout) {
        CompletableFuture<Message> answer = pending.register(serverId, id, timeout);
        if (!sessions.send(serverId, request)) {
            pending.abandon(id);
            throw AgentUnavailable.offline(serverId);
        }
        return answer.exceptionallyCompose(error -> CompletableFuture.failedFuture(cause(error) instanceof TimeoutException
                ? AgentUnavailable.noAnswer(null) : cause(error)));
    }

    /** {@link #send(String, String, Message, Duration)} with the default timeout, enough for Docker's slowest action. */
    public CompletableFuture<Message> send(String serverId, String id, Message request) {
        return send(serverId, id, request, PendingRequests.DEFAULT_TIMEOUT);
    }

    /** Asks the agent to cancel a running command; {@link AgentUnavailable} when it is not connected. */
    public void cancel(String serverId, String commandId) {
        if (!sessions.send(serverId, new CommandCancel(commandId))) {
            throw AgentUnavailable.offline(serverId);
        }
    }

    /** An answer arrived from the agent of {@code serverId}. */
    void answered(String serverId, String id, Message answer) {
        pending.complete(serverId, id, answer);
    }

    /** Requests waiting for their answer, for {@code /metrics}. */
    public int inFlight() {
        return pending.size();
    }

    /** The failure of a request, without the {@link CompletionException} that {@code join()} and callbacks wrap it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
