package io.chatops.hub.commands;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.agents.AgentRequests;
import io.chatops.hub.agents.AgentUnavailable;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.live.LivePublisher;
import io.chatops.protocol.Capability;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Runs commands on servers' agents for an {@link Actor}: the one path every front end (REST, the
 * web interface, chat) takes, so that the role check, the audit record and the history are written
 * in one place. The record is stored before the command is sent and completed by the agent's
 * response, or marked {@code error} when the agent does not answer in time.
 */
public final class CommandService {
    /** A command line, not a script upload. */
    public static final int MAX_COMMAND_CHARS = 16 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Time the agent gets beyond the command's own timeout to send its response. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(10);
    static final int MAX_HISTORY = 500;

    private final CommandStore store;
    private final AgentRequests agents;
    private final AuditLog audit;
    private final LivePublisher live;
    private final Peers peers;
    private final Clock clock;

    public CommandService(org.jdbi.v3.core.Jdbi jdbi, AgentRequests agents, AuditLog audit, LivePublisher live, Peers peers, Clock clock) {
        this.store = new CommandStore(jdbi);
        this.agents = agents;
        this.audit = audit;
        this.live = live;
        this.peers = peers;
        this.clock = clock;
        agents.whenOrphaned(this::finishOrphan);
    }

    /**
     * Ends the records of commands whose hub instance stopped (a restart, or one of several that
     * died) before their answer came, once their deadline passed: the answer of an agent goes only
     * to the instance that asked, so nothing else would. Run now and then by the leading instance.
     */
    public void endAbandoned() {
        if (!peers.leads()) {
            return;
        }
        AgentUnavailable why = AgentUnavailable.noAnswer("the hub instance that ran the command stopped before its answer came;"
                + " the command may have run");
        for (CommandRecord ended : store.endAbandoned(peers.alive(), clock.instant(), why.code() + ": " + why.getMessage())) {
            live.commandFinished(ended.id(), ended.json());
        }
    }

    /**
     * The answer to a command whose hub instance stopped while it ran (several instances,
     * docs/scale-out.md): the instance that holds the agent completes its record, so that no
     * record stays "running" for good. Its completion has no audit entry (its operator's instance
     * is gone); its start has one.
     */
    private void finishOrphan(String id, Message answer) {
        store.find(id).filter(running -> !running.finished()).ifPresent(running -> {
            CommandRecord done = store.finished(outcome(id, running.serverId(), running.username(), running.command(),
                    running.startedAt(), answer, null));
            live.commandFinished(done.id(), done.json());
        });
    }

    /**
     * A command on its way: its id at once; its finished record later, or {@link AgentUnavailable}
     * when the agent never answered (the record then says so too).
     */
    public record Started(String id, CompletableFuture<CommandRecord> finished) {
    }

    /** Starts {@code command} on the server's agent; operators and admins only. */
    public Started run(Actor actor, String serverId, String command, Duration timeout) {
        actor.require(Role.OPERATOR);
        if (command == null || command.isBlank() || command.length() > MAX_COMMAND_CHARS) {
            throw ApiError.badRequest("the command must be 1 to " + MAX_COMMAND_CHARS + " characters");
        }
        if (timeout.toSeconds() < 1 || timeout.toSeconds() > Command.MAX_TIMEOUT_SECONDS) {
            throw ApiError.badRequest("the timeout must be 1 to " + Command.MAX_TIMEOUT_SECONDS + " seconds");
        }
        agents.require(serverId, "commands (-disable-exec)", Capability.EXEC);
        String id = "c-" + UUID.randomUUID();
        Instant startedAt = clock.instant();
        String target = AuditEvent.server(serverId);
        store.started(id, serverId, actor.username(), command, startedAt, peers.self(), startedAt.plus(timeout).plus(ANSWER_GRACE));
        audit.record(new AuditEvent(actor, "command", target, "started", command));
        CompletableFuture<Message> answer;
        try {
            answer = agents.send(serverId, id, new Command(id, command, (int) timeout.toSeconds(), true), timeout.plus(ANSWER_GRACE));
        } catch (AgentUnavailable offline) {
            finish(actor, ended(id, serverId, actor.username(), command, startedAt, CommandStatus.ERROR,
                    offline.code() + ": " + offline.getMessage()));
            throw offline;
        }
        CompletableFuture<CommandRecord> finished = answer.handle((message, error) -> {
            CommandRecord done = finish(actor, outcome(id, serverId, actor.username(), command, startedAt, message, error));
            if (error != null && AgentRequests.cause(error) instanceof AgentUnavailable) {
                throw AgentUnavailable.noAnswer("the command " + id + " may still be running");
            }
            return done;
        });
        return new Started(id, finished);
    }

    public CommandRecord find(Actor actor, String id) {
        actor.require(Role.VIEWER);
        return store.find(id).orElseThrow(() -> ApiError.notFound("command " + id + " does not exist"));
    }

    public List<CommandRecord> history(Actor actor, String serverId, int limit) {
        actor.require(Role.VIEWER);
        return store.history(serverId, Math.max(1, Math.min(limit, MAX_HISTORY)));
    }

    /** Asks the agent to kill a running command; its record ends as {@code cancelled} when the agent confirms. */
    public void cancel(Actor actor, String id) {
        actor.require(Role.OPERATOR);
        CommandRecord command = find(actor, id);
        if (command.finished()) {
            throw ApiError.conflict("command " + id + " is not running");
        }
        agents.cancel(command.serverId(), id);
        audit.record(new AuditEvent(actor, "command_cancel", AuditEvent.server(command.serverId()), "ok", id));
    }

    private CommandRecord finish(Actor actor, CommandRecord outcome) {
        CommandRecord done = store.finished(outcome);
        live.commandFinished(done.id(), done.json());
        audit.record(new AuditEvent(actor, "command", AuditEvent.server(done.serverId()), done.status().wireName(), done.command()));
        return done;
    }

    private CommandRecord outcome(String id, String serverId, String username, String command, Instant startedAt, Message message,
            Throwable error) {
        Instant now = clock.instant();
        if (message instanceof CommandResponse response) {
            CommandResponse.Failure failure = response.error();
            CommandStatus status = failure != null
                    ? (failure.code() == CommandResponse.ErrorCode.CANCELLED ? CommandStatus.CANCELLED : CommandStatus.ERROR)
                    : response.timedOut() ? CommandStatus.TIMED_OUT
                    : response.exitCode() != null && response.exitCode() == 0 ? CommandStatus.SUCCEEDED : CommandStatus.FAILED;
            return new CommandRecord(id, serverId, username, command, status, response.exitCode(), response.stdout(),
                    response.stderr(), response.truncated(), startedAt, now, response.durationMs(),
                    failure == null ? null : failure.code().name().toLowerCase(Locale.ROOT) + ": " + failure.message());
        }
        if (message instanceof ErrorMessage refused) {
            return ended(id, serverId, username, command, startedAt, CommandStatus.ERROR, refused.code() + ": " + refused.message());
        }
        Throwable cause = AgentRequests.cause(error);
        return ended(id, serverId, username, command, startedAt, CommandStatus.ERROR, cause instanceof AgentUnavailable unavailable
                ? unavailable.code() + ": " + unavailable.getMessage() : "the agent did not answer: " + cause);
    }

    private CommandRecord ended(String id, String serverId, String username, String command, Instant startedAt, CommandStatus status,
            String error) {
        Instant now = clock.instant();
        return new CommandRecord(id, serverId, username, command, status, null, null, null, false, startedAt, now,
                Duration.between(startedAt, now).toMillis(), error);
    }
}
