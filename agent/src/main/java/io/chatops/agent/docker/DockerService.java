package io.chatops.agent.docker;

import io.chatops.agent.log.Log;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.LogLine;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out the hub's Docker operations (list, inspect, start, stop, restart, logs) on worker
 * threads and answers each with one {@code docker_response}. References are validated before a
 * request is built; with {@code -disable-docker-control} only list, inspect and logs are allowed;
 * when Docker cannot be reached every answer says {@code docker_unavailable}, until it can again.
 */
public final class DockerService implements AutoCloseable {
    /** Docker serialises operations on one container anyway; a few workers keep the agent small. */
    static final int WORKERS = 4;
    /** Requests waiting beyond this are refused instead of queueing without bound. */
    static final int MAX_QUEUED = 64;
    static final int DEFAULT_GRACE_SECONDS = 10;
    /** Log lines are dropped, oldest first, until the answer fits one frame with this to spare. */
    private static final int FRAME_BUDGET_BYTES = MessageCodec.MAX_FRAME_BYTES - 16 * 1024;
    private static final MessageCodec CODEC = new MessageCodec();
    private static final Log LOG = Log.named("docker");

    private final DockerClient client;
    private final ContainerCatalog catalog;
    private final ContainerWatcher watcher;
    private final boolean controlEnabled;
    private final ThreadPoolExecutor workers;

    private DockerService(DockerClient client, ContainerCatalog catalog, ContainerWatcher watcher, boolean controlEnabled) {
        this.client = client;
        this.catalog = catalog;
        this.watcher = watcher;
        this.controlEnabled = controlEnabled;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED), task -> {
                    Thread thread = new Thread(task, "docker");
                    thread.setDaemon(true);
                    return thread;
                });
        this.workers.allowCoreThreadTimeOut(true); // no idle threads while nobody uses Docker
    }

    /** The service and its watcher for the socket at {@code socket}; {@code sink} gets {@code containers} messages. */
    public static DockerService start(Path socket, boolean controlEnabled, Consumer<Message> sink, Clock clock) {
        DockerClient client = new DockerClient(socket);
        ContainerCatalog catalog = new ContainerCatalog(client);
        ContainerWatcher watcher = new ContainerWatcher(client, catalog, sink, clock);
        watcher.start();
        return new DockerService(client, catalog, watcher, controlEnabled);
    }

    public ContainerWatcher watcher() {
        return watcher;
    }

    /** Handles {@code command} on a worker; {@code reply} gets the one response. */
    public void dispatch(DockerCommand command, Consumer<Message> reply) {
        try {
            workers.execute(() -> reply.accept(handle(command)));
        } catch (RejectedExecutionException e) {
            reply.accept(DockerResponse.failure(command.id(), DockerResponse.ErrorCode.DOCKER_ERROR,
                    "too many Docker operations are waiting on this agent; try again shortly"));
        }
    }

    DockerResponse handle(DockerCommand command) {
        String id = command.id();
        DockerCommand.Action action = command.action();
        if (action != DockerCommand.Action.LIST) {
            String problem = ContainerRef.problem(command.container());
            if (problem != null) {
                return DockerResponse.failure(id, DockerResponse.ErrorCode.INVALID_CONTAINER, problem);
            }
        }
        if (action.isControl() && !controlEnabled) {
            return DockerResponse.failure(id, DockerResponse.ErrorCode.DOCKER_CONTROL_DISABLED,
                    "container control is disabled on this agent (-disable-docker-control)");
        }
        try {
            return DockerResponse.success(id, perform(command));
        } catch (DockerUnavailableException e) {
            return DockerResponse.failure(id, DockerResponse.ErrorCode.DOCKER_UNAVAILABLE, e.getMessage());
        } catch (DockerApiException e) {
            if (e.status() == 404) {
                return DockerResponse.failure(id, DockerResponse.ErrorCode.NOT_FOUND,
                        "no container named or with id '" + command.container() + "'");
            }
            return DockerResponse.failure(id, DockerResponse.ErrorCode.DOCKER_ERROR, "Docker: " + e.getMessage());
        } catch (IOException e) {
            return DockerResponse.failure(id, DockerResponse.ErrorCode.DOCKER_ERROR, e.getMessage());
        }
    }

    private DockerResult perform(DockerCommand command) throws IOException {
        DockerCommand.Action action = command.action();
        if (action == DockerCommand.Action.LIST) {
            return DockerResult.ofContainers(catalog.snapshot());
        }
        JsonValue inspect = client.inspect(command.container()); // resolves the name, and says 404 early
        String fullId = inspect.path("Id").asText();
        int grace = command.timeoutSeconds() == null ? DEFAULT_GRACE_SECONDS : command.timeoutSeconds();
        switch (action) {
            case INSPECT:
                return DockerResult.ofInspect(catalog.describe(fullId), inspect.path("Config").asMap());
            case START:
                client.start(fullId);
                return afterControl(command, fullId);
            case STOP:
                client.stop(fullId, grace);
                return afterControl(command, fullId);
            case RESTART:
                client.restart(fullId, grace);
                return afterControl(command, fullId);
            case LOGS:
                boolean tty = inspect.path("Config").path("Tty").asBoolean(false);
                List<LogLine> lines = LogDecoder.decode(client.logs(fullId, command.tailOrDefault(), command.since()), tty);
                return fitToFrame(command.id(), lines);
            default:
                throw new IllegalStateException("unhandled action " + action);
        }
    }

    private DockerResult afterControl(DockerCommand command, String fullId) throws IOException {
        LOG.info("%s %s", command.action().name().toLowerCase(java.util.Locale.ROOT), command.container());
        catalog.invalidate(fullId);
        watcher.changed();
        return DockerResult.ofContainer(catalog.describe(fullId));
    }

    /** Drops the oldest lines until the answer fits one frame: the newest lines matter most. */
    static DockerResult fitToFrame(String id, List<LogLine> lines) {
        List<LogLine> kept = lines;
        while (!kept.isEmpty() && CODEC.encode(DockerResponse.success(id, DockerResult.ofLines(kept)))
                .getBytes(StandardCharsets.UTF_8).length > FRAME_BUDGET_BYTES) {
            kept = kept.subList(Math.max(1, kept.size() / 10), kept.size());
        }
        return DockerResult.ofLines(kept);
    }

    @Override
    public void close() {
        watcher.close();
        workers.shutdownNow();
    }
}
