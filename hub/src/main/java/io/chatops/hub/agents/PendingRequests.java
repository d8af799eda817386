package io.chatops.hub.agents;

import io.chatops.protocol.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Requests sent to agents, by id, until their final answer arrives or their time is up. Only the
 * server a request went to can answer it. Every entry is removed when its future completes, which a
 * timeout guarantees, so the map never outgrows the requests in flight.
 */
final class PendingRequests {
    /**
     * For requests without a time of their own (Docker's): a stop or restart waits 10 s for the
     * container to exit before Docker kills it, and Docker and the agent need time to answer.
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** {@code via}: the other hub instance the request went through, or null when it went to an agent connected here. */
    private record Pending(String serverId, String via, CompletableFuture<Message> answer) {
    }

    private final Map<String, Pending> byId = new ConcurrentHashMap<>();

    /**
     * A future for the answer of {@code serverId}'s agent to request {@code id}, sent through the hub
     * instance {@code via} (null: to an agent connected here); it fails with
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     */
    CompletableFuture<Message> register(String serverId, String via, String id, Duration timeout) {
        Pending pending = new Pending(serverId, via, new CompletableFuture<>());
        if (byId.putIfAbsent(id, pending) != null) {
            throw new IllegalArgumentException("request " + id + " is already pending");
        }
        pending.answer().whenComplete((message, error) -> byId.remove(id, pending));
        return pending.answer().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes request {@code id} with its answer from {@code serverId}; an answer nobody waits for (or from elsewhere) is dropped. */
    void complete(String serverId, String id, Message answer) {
        Pending pending = byId.get(id);
        if (pending != null && pending.serverId().equals(serverId)) {
            pending.answer().complete(answer);
        }
    }

    /** Ends request {@code id} with {@code error} instead of an answer. */
    void fail(String id, Throwable error) {
        Pending pending = byId.get(id);
        if (pending != null) {
            pending.answer().completeExceptionally(error);
        }
    }

    /** Ends every request sent through {@code instance} with {@code error}: that instance is gone, and their answers with it. */
    void failVia(String instance, Throwable error) {
        byId.values().stream().filter(pending -> instance.equals(pending.via()))
                .forEach(pending -> pending.answer().completeExceptionally(error));
    }

    /** Forgets a request that could not be sent. */
    void abandon(String id) {
        Pending pending = byId.remove(id);
        if (pending != null) {
            pending.answer().cancel(false);
        }
    }

    int size() {
        return byId.size();
    }
}
