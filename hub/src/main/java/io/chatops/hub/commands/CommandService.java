package io.chatops.hub.commands;

import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.Principal;
import io.chatops.hub.http.ApiError;
import io.chatops.protocol.Capability;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs a command on a server's agent for a user: the one path every front end (REST, the web
 * interface, later chat) takes, so that authorisation, the audit record and the history are
 * written in one place. The record is stored before the command is sent and completed by the
 * agent's response, or marked {@code error} when the agent does not answer in time.
 */
public final class CommandService {
    /** Time the agent gets beyond the command's own timeout to send its response. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(10);

    private final CommandStore store;
    private final AgentGateway gateway;
    private final AuditLog audit;
    private final Clock clock;
    private final java.util.function.BiConsumer<String, Map<String, Object>> live;

    public CommandService(Jdbi jdbi, AgentGateway gateway, AuditLog audit, Clock clock,
            java.util.function.BiConsumer<String, Map<String, Object>> live) {
        this.live = live;
        this.store = new CommandStore(jdbi);
        this.gateway = gateway;
        this.audit = audit;
        this.clock = clock;
    }

    /** A command on its way: its id at once, its finished record later. */
    public record Started(String id, CompletableFuture<Map<String, Object>> finished) {
    }

    /** Starts {@code command}. */
    public Started run(Principal user, String sourceIp, String serverId, String command,
            int timeoutSeconds) {
        if (gateway.agent(serverId).isEmpty()) {
            throw new ApiError(503, "agent_offline", "no agent of server " + serverId + " is connected");
        }
        if (!gateway.agent(serverId).get().can(Capability.EXEC)) {
            throw new ApiError(409, "capability_disabled", "the agent of server " + serverId + " does not run commands (-disable-exec)");
        }
        String id = "c-" + UUID.randomUUID();
        Instant started = clock.instant();
        store.started(id, serverId, user.username(), command, started);
        audit.record(user, null, sourceIp, "command", "server:" + serverId, "started", command);
        CompletableFuture<Message> answer = gateway.request(serverId, id, new Command(id, command, timeoutSeconds, true))
                .orElseThrow(() -> new ApiError(503, "agent_offline", "no agent of server " + serverId + " is connected"));
        return new Started(id, answer.orTimeout(timeoutSeconds + ANSWER_GRACE.toSeconds(), TimeUnit.SECONDS)
                .handle((message, error) -> {
                    record(id, started, message, error);
                    Map<String, Object> done = store.find(id).orElseThrow();
                    Map<String, Object> finished = new java.util.LinkedHashMap<>(done);
                    finished.put("type", "command_finished");
                    finished.put("command_id", id);
                    live.accept("command:" + id, finished);
                    audit.record(user, null, sourceIp, "command", "server:" + serverId, String.valueOf(done.get("status")), command);
                    return done;
                }));
    }

    public Map<String, Object> find(String id) {
        return store.find(id).orElseThrow(() -> ApiError.notFound("command " + id + " does not exist"));
    }

    public java.util.List<Map<String, Object>> history(String serverId, int limit) {
        return store.history(serverId, limit);
    }

    public void cancel(Principal user, String sourceIp, String id) {
        Map<String, Object> command = find(id);
        if (!"running".equals(command.get("status"))) {
            throw ApiError.conflict("command " + id + " is not running");
        }
        String serverId = (String) command.get("server_id");
        if (!gateway.cancel(serverId, id)) {
            throw new ApiError(503, "agent_offline", "no agent of server " + serverId + " is connected");
        }
        audit.record(user, null, sourceIp, "command_cancel", "server:" + serverId, "ok", id);
    }

    private void record(String id, Instant started, Message message, Throwable error) {
        Instant now = clock.instant();
        if (message instanceof CommandResponse response) {
            String status = response.error() != null
                    ? (response.error().code() == CommandResponse.ErrorCode.CANCELLED ? "cancelled" : "error")
                    : response.timedOut() ? "timed_out" : response.exitCode() != null && response.exitCode() == 0 ? "succeeded" : "failed";
            store.finished(id, status, response.exitCode(), response.stdout(), response.stderr(), response.truncated(), now,
                    response.durationMs(), response.error() == null ? null : response.error().code().name().toLowerCase(java.util.Locale.ROOT) + ": "
                            + response.error().message());
        } else if (message instanceof ErrorMessage refused) {
            store.finished(id, "error", null, null, null, false, now, Duration.between(started, now).toMillis(),
                    refused.code() + ": " + refused.message());
        } else {
            store.finished(id, "error", null, null, null, false, now, Duration.between(started, now).toMillis(),
                    error instanceof java.util.concurrent.TimeoutException ? "agent_timeout: the agent did not answer in time"
                            : "the agent did not answer: " + error);
        }
    }
}
