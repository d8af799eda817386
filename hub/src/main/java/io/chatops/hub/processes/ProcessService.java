package io.chatops.hub.processes;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.agents.AgentRequests;
import io.chatops.hub.agents.AgentUnavailable;
import io.chatops.hub.http.ApiError;
import io.chatops.protocol.Capability;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The busiest processes of a server, measured by its agent on request (PROTOCOL.md
 * {@code processes_request}). Measuring costs the server a little CPU, so each server's agent is
 * asked at most once at a time per order: whoever asks meanwhile, or within {@link #SHARED_FOR} of
 * an answer (a page left open, a chat command and an alert at once), shares that answer.
 */
public final class ProcessService {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration SHARED_FOR = Duration.ofSeconds(2);

    private final AgentRequests agents;
    private final Clock clock;
    private final Map<Key, Asked> latest = new ConcurrentHashMap<>();

    private record Key(String serverId, ProcessesRequest.Sort sort) {
    }

    private record Asked(CompletableFuture<ProcessList> answer, Instant at) {
    }

    public ProcessService(AgentRequests agents, Clock clock) {
        this.agents = agents;
        this.clock = clock;
    }

    /** Up to {@code limit} of the server's busiest processes, for a viewer or more; waits for the agent's measurement. */
    public ProcessList top(Actor actor, String serverId, ProcessesRequest.Sort sort, int limit) {
        actor.require(Role.VIEWER);
        if (limit < 1 || limit > ProcessesRequest.MAX_LIMIT) {
            throw ApiError.badRequest("limit must be a whole number from 1 to " + ProcessesRequest.MAX_LIMIT);
        }
        try {
            ProcessList all = ask(serverId, sort).join();
            return new ProcessList(all.id(), all.takenAt(), all.windowMillis(), all.total(),
                    all.processes().subList(0, Math.min(limit, all.processes().size())));
        } catch (CompletionException e) {
            throw AgentRequests.cause(e) instanceof RuntimeException failure ? failure : e;
        }
    }

    /**
     * Starts a measurement unless one is under way or fresh; returns it. For those that must not wait
     * (alert evaluation): the answer arrives later, or fails as {@link #top} would.
     */
    public CompletableFuture<ProcessList> ask(String serverId, ProcessesRequest.Sort sort) {
        Key key = new Key(serverId, sort);
        Instant now = clock.instant();
        Asked asked = latest.compute(key, (k, before) -> before != null && (!before.answer().isDone()
                || (!before.answer().isCompletedExceptionally() && now.isBefore(before.at().plus(SHARED_FOR))))
                ? before : new Asked(measure(serverId, sort), now));
        return asked.answer();
    }

    /** The server's last measurement if it was taken at {@code since} or later; empty while under way, or when it failed. */
    public Optional<ProcessList> takenSince(String serverId, ProcessesRequest.Sort sort, Instant since) {
        Asked asked = latest.get(new Key(serverId, sort));
        if (asked == null || !asked.answer().isDone() || asked.answer().isCompletedExceptionally()) {
            return Optional.empty();
        }
        ProcessList list = asked.answer().join();
        return list.takenAt().isBefore(since) ? Optional.empty() : Optional.of(list);
    }

    /** Whether a measurement of the server is under way. */
    public boolean measuring(String serverId, ProcessesRequest.Sort sort) {
        Asked asked = latest.get(new Key(serverId, sort));
        return asked != null && !asked.answer().isDone();
    }

    private CompletableFuture<ProcessList> measure(String serverId, ProcessesRequest.Sort sort) {
        try {
            agents.require(serverId, "process lists (it is older than this hub: upgrade it)", Capability.PROCESSES);
            String id = "p-" + UUID.randomUUID();
            return agents.send(serverId, id, new ProcessesRequest(id, sort, ProcessesRequest.MAX_LIMIT), TIMEOUT)
                    .thenApply(ProcessService::list);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ProcessList list(Message answer) {
        if (answer instanceof ErrorMessage refused) {
            throw new ApiError(502, "agent_error", "the agent could not list its processes: " + refused.message());
        }
        return (ProcessList) answer;
    }

    /** A process as the API and the webhook of an alert show it. */
    public static Map<String, Object> json(ProcessList.ProcessInfo p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pid", p.pid());
        json.put("user", p.user());
        json.put("command", p.command());
        json.put("cpu_percent", p.cpuPercent());
        json.put("memory_bytes", p.memoryBytes());
        return json;
    }
}
