package io.chatops.agent.docker;

import com.fasterxml.jackson.core.JsonParser;
import io.chatops.agent.log.Log;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.Message;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the hub's picture of the containers current: a {@code containers} message after every
 * Docker event (a burst of events makes one message), at least every 30 s, and whenever the link
 * (re)connects. Follows Docker's event stream on its own thread and, when Docker goes away, keeps
 * trying to come back, so that starting Docker later needs no agent restart.
 */
public final class ContainerWatcher implements AutoCloseable {
    static final Duration REFRESH_EVERY = Duration.ofSeconds(30);
    /** Starting one container makes several events within milliseconds; wait for the burst to end. */
    static final Duration EVENT_SETTLE = Duration.ofMillis(300);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private static final Log LOG = Log.named("docker");

    private final DockerClient client;
    private final ContainerCatalog catalog;
    private final Consumer<Message> sink;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "docker-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread eventsThread;
    private volatile boolean closed;
    private volatile boolean available;
    private volatile String version;
    private volatile ContainerCounts counts;
    private volatile InputStream events;
    /**
     * A publish is scheduled and has not begun. Cleared as it begins, not when it ends: an event that
     * comes while the list is being read (a container started during the publish that its creation
     * caused) schedules another, instead of waiting for the 30 s refresh.
     */
    private boolean publishWaiting;

    ContainerWatcher(DockerClient client, ContainerCatalog catalog, Consumer<Message> sink, Clock clock) {
        this.client = client;
        this.catalog = catalog;
        this.sink = sink;
        this.clock = clock;
        this.eventsThread = new Thread(this::followEvents, "docker-events");
        this.eventsThread.setDaemon(true);
    }

    void start() {
        eventsThread.start();
        worker.scheduleWithFixedDelay(this::publish, REFRESH_EVERY.toMillis(), REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Running and stopped containers for the metrics sample; null when Docker is unavailable. */
    public ContainerCounts counts() {
        return available ? counts : null;
    }

    /** Docker's version for the inventory; null until Docker has answered. */
    public String version() {
        return version;
    }

    /** Sends the list soon, from the watcher's thread: the link just (re)connected. */
    public void publishSoon() {
        worker.execute(this::publish);
    }

    /** Sends the list again soon: an action changed a container (its event would too, a bit later). */
    void changed() {
        schedulePublish(Duration.ZERO);
    }

    private synchronized void schedulePublish(Duration delay) {
        if (!publishWaiting) {
            publishWaiting = true;
            worker.schedule(this::publishScheduled, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void publishScheduled() {
        synchronized (this) {
            publishWaiting = false;
        }
        publish();
    }

    private void publish() {
        try {
            List<ContainerInfo> containers = catalog.snapshot();
            counts = ContainerCatalog.count(containers);
            sink.accept(new Containers(clock.instant(), containers));
        } catch (IOException e) {
            LOG.debug("cannot list containers: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("listing containers failed: %s", e);
        }
    }

    private void followEvents() {
        long retryMillis = 1_000;
        boolean reportedDown = false;
        while (!closed) {
            try (InputStream stream = client.events()) {
                events = stream;
                version = client.version();
                if (!available) {
                    LOG.info("Docker %s is available at %s", version, client.socket());
                }
                available = true;
                reportedDown = false;
                retryMillis = 1_000;
                publish();
                try (JsonParser events = JsonTree.factory().createParser(stream)) {
                    while (events.nextToken() != null) {
                        JsonValue event = JsonValue.of(JsonTree.read(events));
                        catalog.invalidate(event.path("Actor").path("ID").asText(event.path("id").asText()));
                        schedulePublish(EVENT_SETTLE);
                    }
                }
                throw new IOException("Docker closed its event stream");
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                boolean wasAvailable = available;
                available = false;
                if (wasAvailable || !reportedDown) {
                    LOG.warn("Docker is unavailable (%s); retrying", e.getMessage());
                    reportedDown = true;
                }
            }
            sleep(retryMillis);
            retryMillis = Math.min(RETRY_MAX.toMillis(), retryMillis * 2);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream stream = events;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing is all that was wanted
            }
        }
        eventsThread.interrupt();
        worker.shutdownNow();
    }
}
