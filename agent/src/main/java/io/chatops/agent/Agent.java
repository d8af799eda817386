package io.chatops.agent;

import io.chatops.agent.config.AgentConfig;
import io.chatops.agent.docker.DockerService;
import io.chatops.agent.exec.CommandRunner;
import io.chatops.agent.link.AgentLink;
import io.chatops.agent.link.Dispatcher;
import io.chatops.agent.link.ExecutorScheduler;
import io.chatops.agent.link.SampleSource;
import io.chatops.agent.link.SocketTransport;
import io.chatops.agent.log.Log;
import io.chatops.agent.metrics.Inventory;
import io.chatops.agent.metrics.ProcFs;
import io.chatops.agent.metrics.Sampler;
import io.chatops.agent.processes.ProcessRequests;
import io.chatops.agent.processes.TopProcesses;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Capability;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.Message;
import io.chatops.protocol.ProcessesRequest;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One running agent: the sampler, the command runner and Docker, wired to the link. Routes the
 * hub's requests to the part that handles them and feeds the link its samples.
 */
final class Agent implements Dispatcher, SampleSource {
    private static final Log LOG = Log.named("agent");

    private final AgentConfig config;
    private final String version;
    private final ProcFs fs = ProcFs.host();
    private final Sampler sampler;
    private final CommandRunner runner;
    private final DockerService docker;
    private final ProcessRequests processes;
    private final ExecutorScheduler scheduler;
    private final AgentLink link;

    Agent(AgentConfig config, String version) throws IOException {
        Clock clock = Clock.systemUTC();
        this.config = config;
        this.version = version;
        this.sampler = Sampler.forHost(fs, clock, config.servicesEnabled(), config.systemBus());
        this.runner = new CommandRunner(config.execEnabled(), config.execAllow(), clock);
        this.processes = new ProcessRequests(new TopProcesses(fs, clock));
        this.scheduler = new ExecutorScheduler();
        SocketTransport transport = new SocketTransport("chatops-agent/" + version);
        Consumer<Message> toHub = this::send;
        this.docker = DockerService.start(config.dockerSocket(), config.dockerControlEnabled(), toHub, clock);
        this.link = AgentLink.create(config, this::inventory, this, this, transport, scheduler,
                docker.watcher()::publishSoon);
    }

    void start() {
        link.start();
    }

    /** Closes the link cleanly (code 1000) and stops; completes within a few seconds. */
    CompletableFuture<Void> stop() {
        return link.stop().whenComplete((ignored, error) -> {
            docker.close();
            processes.close();
            scheduler.close();
        });
    }

    /** Completes once the agent has stopped. */
    CompletableFuture<Void> stopped() {
        return link.stopped();
    }

    @Override
    public void dispatch(Message request, Consumer<Message> reply) {
        if (request instanceof Command) {
            runner.run((Command) request, reply);
        } else if (request instanceof CommandCancel) {
            runner.cancel(((CommandCancel) request).id());
        } else if (request instanceof DockerCommand) {
            docker.dispatch((DockerCommand) request, reply);
        } else if (request instanceof ProcessesRequest) {
            processes.dispatch((ProcessesRequest) request, reply);
        }
    }

    @Override
    public Metrics sample(long seq, Duration interval) {
        Metrics sample = sampler.sample(seq, interval, docker.watcher().counts());
        if (LOG.isDebug()) {
            LOG.debug("sample #%d: %s", seq, sampler.lastTimings());
        }
        return sample;
    }

    private void send(Message message) {
        link.send(message);
    }

    private AgentInfo inventory() {
        List<String> capabilities = new ArrayList<>(List.of(Capability.METRICS, Capability.DOCKER, Capability.PROCESSES));
        if (config.dockerControlEnabled()) {
            capabilities.add(Capability.DOCKER_CONTROL);
        }
        if (config.execEnabled()) {
            capabilities.add(Capability.EXEC);
        }
        try {
            return Inventory.read(fs, version, docker.watcher().version(), capabilities);
        } catch (IOException | RuntimeException e) {
            // Connecting matters more than a complete inventory: send what is certain.
            LOG.warn("cannot read this server's inventory: %s", e.getMessage());
            return new AgentInfo(version, "unknown", null, null, null, null, null,
                    Runtime.getRuntime().availableProcessors(), 0, null, docker.watcher().version(), capabilities);
        }
    }
}
