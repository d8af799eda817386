package io.chatops.hub.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.cluster.Peers;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.Containers;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.ProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay that services use to ask a server's agent something: checks that the agent is
 * connected and allows it, sends the request and matches the answer by id. Every way it can fail is
 * an {@link AgentUnavailable}. An agent connected to another hub instance is asked through that
 * instance ({@link Peers}): the request goes there, its answer comes back here.
 */
public final class AgentRequests {
    private static final String REQUEST = "agent.request";
    private static final String ANSWER = "agent.answer";
    private static final String CANCEL = "agent.cancel";
    private static final String REPORT = "agent.report";
    /** How long a container list held by another instance may take to come; the last one known here is shown after that. */
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than an instance takes to be taken for dead after its last heartbeat. */
    static final Duration ANSWERS_KEPT_FOR = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(AgentRequests.class);

    /** A request for an agent held by the instance it is sent to; {@code frame} is the protocol message. */
    record Routed(String id, String server, String frame, long timeoutMillis) {
    }

    /** Its answer: the agent's frame, or why there is none ({@link AgentUnavailable.Reason}'s name and message). */
    record RoutedAnswer(String id, String server, String frame, String unavailable, String message) {
    }

    record RoutedCancel(String server, String command) {
    }

    /** Asks for the container list the agent held there last reported. */
    record RoutedReport(String id, String server) {
    }

    private final AgentSessions sessions;
    private final ContainerReports reports;
    private final Peers peers;
    private final MessageCodec codec = new MessageCodec();
    private final PendingRequests pending = new PendingRequests();
    private final List<BiConsumer<String, Message>> orphanListeners = new CopyOnWriteArrayList<>();
    /**
     * Answers sent back to other instances lately, by instance: if that instance turns out to have
     * died, they may never have been read, and are handed to {@link #whenOrphaned} listeners.
     */
    private final Map<String, Map<String, Sent>> answeredLately = new ConcurrentHashMap<>();

    private record Sent(Message answer, long atNanos) {
    }

    public AgentRequests(AgentSessions sessions, ContainerReports reports, Peers peers) {
        this.sessions = sessions;
        this.reports = reports;
        this.peers = peers;
        peers.on(REQUEST, (from, body) -> serve(from, read(body, Routed.class)));
        peers.on(ANSWER, (from, body) -> answeredFromElsewhere(read(body, RoutedAnswer.class)));
        peers.on(CANCEL, (from, body) -> {
            RoutedCancel cancel = read(body, RoutedCancel.class);
            sessions.send(cancel.server(), new CommandCancel(cancel.command()));
        });
        // Requests in flight through an instance that died get no answer from it: they end now, not at their timeout.
        peers.whenDeparted(instance -> {
            pending.failVia(instance,
                    AgentUnavailable.noAnswer("the hub instance that held the agent stopped; what was asked may have happened"));
            Map<String, Sent> unread = answeredLately.remove(instance);
            if (unread != null) {
                unread.forEach((id, sent) -> orphaned(id, sent.answer()));
            }
        });
        peers.on(REPORT, (from, body) -> {
            RoutedReport asked = read(body, RoutedReport.class);
            peers.sendNow(from, ANSWER, write(new RoutedAnswer(asked.id(), asked.server(),
                    reports.latest(asked.server()).map(codec::encode).orElse(null), null, null)));
        });
    }

    /**
     * The containers the server's agent last reported: from the instance that holds the agent when
     * another does, else as known here; empty when its agent never reported any since its hub started.
     */
    public Optional<Containers> containers(String serverId) {
        Optional<String> elsewhere = sessions.heldElsewhere(serverId);
        if (elsewhere.isEmpty()) {
            return reports.latest(serverId);
        }
        String id = "r-" + UUID.randomUUID();
        CompletableFuture<Message> answer = pending.register(serverId, elsewhere.get(), id, REPORT_TIMEOUT);
        if (!peers.sendNow(elsewhere.get(), REPORT, write(new RoutedReport(id, serverId)))) {
            pending.abandon(id);
            return reports.latest(serverId);
        }
        try {
            return Optional.ofNullable((Containers) answer.join());
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            LOG.warn("the hub instance that holds the agent of server {} did not send its containers: {}", serverId, e.getMessage());
            return reports.latest(serverId);
        }
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
        Optional<String> elsewhere = sessions.heldElsewhere(serverId);
        CompletableFuture<Message> answer = pending.register(serverId, elsewhere.orElse(null), id, timeout);
        boolean sent = elsewhere.isPresent()
                ? peers.sendNow(elsewhere.get(), REQUEST, write(new Routed(id, serverId, codec.encode(request), timeout.toMillis())))
                : sessions.send(serverId, request);
        if (!sent) {
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
        Optional<String> elsewhere = sessions.heldElsewhere(serverId);
        boolean sent = elsewhere.isPresent()
                ? peers.sendNow(elsewhere.get(), CANCEL, write(new RoutedCancel(serverId, commandId)))
                : sessions.send(serverId, new CommandCancel(commandId));
        if (!sent) {
            throw AgentUnavailable.offline(serverId);
        }
    }

    /** An answer arrived from the agent of {@code serverId}. */
    void answered(String serverId, String id, Message answer) {
        pending.complete(serverId, id, answer);
    }

    /** Another instance asks the agent held here; its answer, or why there is none, goes back. */
    private void serve(String from, Routed request) {
        CompletableFuture<Message> answer;
        try {
            Message message = codec.decode(request.frame());
            if (!sessions.find(request.server()).isPresent()) {
                throw AgentUnavailable.offline(request.server()); // it moved on meanwhile
            }
            answer = send(request.server(), request.id(), message, Duration.ofMillis(request.timeoutMillis()));
        } catch (ProtocolException | RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((message, error) -> {
            Throwable cause = error == null ? null : cause(error);
            RoutedAnswer back = cause == null ? new RoutedAnswer(request.id(), request.server(), codec.encode(message), null, null)
                    : cause instanceof AgentUnavailable unavailable
                            ? new RoutedAnswer(request.id(), request.server(), null, unavailable.reason().name(), unavailable.getMessage())
                            : new RoutedAnswer(request.id(), request.server(), null, AgentUnavailable.Reason.OFFLINE.name(),
                                    "the hub instance that holds the agent could not send the request: " + cause.getMessage());
            if (!peers.isAlive(from) || !peers.sendNow(from, ANSWER, write(back))) {
                LOG.warn("the answer to request {} could not go back to hub instance {}, which stopped", request.id(), from);
                if (message != null) {
                    orphaned(request.id(), message);
                }
            } else if (message != null) {
                rememberAnswer(from, request.id(), message);
            }
        });
    }

    /**
     * Tells {@code listener} of each answer of the agent held here to a request made on another
     * instance that stopped before it could read it (id, answer): what it would have recorded is
     * recorded here instead.
     */
    public void whenOrphaned(BiConsumer<String, Message> listener) {
        orphanListeners.add(listener);
    }

    private void orphaned(String id, Message answer) {
        for (BiConsumer<String, Message> listener : orphanListeners) {
            try {
                listener.accept(id, answer);
            } catch (RuntimeException e) {
                LOG.error("recording the answer to request {} of a stopped hub instance failed", id, e);
            }
        }
    }

    private void rememberAnswer(String instance, String id, Message answer) {
        long now = System.nanoTime();
        Map<String, Sent> sent = answeredLately.computeIfAbsent(instance, i -> new ConcurrentHashMap<>());
        sent.values().removeIf(old -> now - old.atNanos() > ANSWERS_KEPT_FOR.toNanos());
        sent.put(id, new Sent(answer, now));
    }

    private void answeredFromElsewhere(RoutedAnswer answer) {
        if (answer.frame() == null && answer.unavailable() == null) {
            pending.complete(answer.server(), answer.id(), null); // nothing to report
            return;
        }
        if (answer.frame() != null) {
            try {
                pending.complete(answer.server(), answer.id(), codec.decode(answer.frame()));
            } catch (ProtocolException e) {
                pending.fail(answer.id(), AgentUnavailable.noAnswer("the answer relayed by another hub instance was unreadable"));
            }
            return;
        }
        pending.fail(answer.id(), switch (AgentUnavailable.Reason.valueOf(answer.unavailable())) {
            case NO_ANSWER -> AgentUnavailable.noAnswer(null);
            case CAPABILITY_DISABLED, OFFLINE -> AgentUnavailable.offline(answer.server());
        });
    }

    /** Requests waiting for their answer, for {@code /metrics}. */
    public int inFlight() {
        return pending.size();
    }

    /** The failure of a request, without the {@link CompletionException} that {@code join()} and callbacks wrap it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String write(Object routed) {
        try {
            return JSON.writeValueAsString(routed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a routed request", e);
        }
    }

    private static <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + type.getSimpleName() + " from another hub instance", e);
        }
    }
}
