package io.chatops.hub;

import io.chatops.hub.actor.Role;
import io.chatops.hub.alerts.AlertRoutes;
import io.chatops.hub.alerts.AlertService;
import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.agents.AgentRequests;
import io.chatops.hub.agents.AgentSessions;
import io.chatops.hub.agents.ConnectionLog;
import io.chatops.hub.agents.ContainerReports;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.AccessControl;
import io.chatops.hub.auth.AuthRoutes;
import io.chatops.hub.auth.FirstAdmin;
import io.chatops.hub.auth.LoginLimiter;
import io.chatops.hub.auth.SameOrigin;
import io.chatops.hub.auth.SessionStore;
import io.chatops.hub.auth.TokenStore;
import io.chatops.hub.auth.UserStore;
import io.chatops.hub.chat.AlertButtons;
import io.chatops.hub.chat.ChatEngine;
import io.chatops.hub.chat.ChatRoom;
import io.chatops.hub.chat.ChatRoutes;
import io.chatops.hub.chat.MattermostFront;
import io.chatops.hub.chat.SlackFront;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.cluster.PostgresPeers;
import io.chatops.hub.commands.CommandRoutes;
import io.chatops.hub.commands.CommandService;
import io.chatops.hub.db.Database;
import io.chatops.hub.db.TaskFailures;
import io.chatops.hub.docker.DockerRoutes;
import io.chatops.hub.docker.DockerService;
import io.chatops.hub.downloads.Downloads;
import io.chatops.hub.events.EventRoutes;
import io.chatops.hub.events.ServerEvents;
import io.chatops.hub.http.AcceptQueue;
import io.chatops.hub.http.ErrorResponses;
import io.chatops.hub.http.HeaderDeadline;
import io.chatops.hub.http.Query;
import io.chatops.hub.http.SecurityHeaders;
import io.chatops.hub.http.Tls;
import io.chatops.hub.live.LiveHub;
import io.chatops.hub.live.LivePublisher;
import io.chatops.hub.live.LiveRelay;
import io.chatops.hub.metrics.MetricsHistory;
import io.chatops.hub.metrics.MetricsRetention;
import io.chatops.hub.metrics.MetricsRoutes;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.notify.NotificationRoutes;
import io.chatops.hub.notify.NotificationService;
import io.chatops.hub.ops.ApiDocs;
import io.chatops.hub.ops.PrometheusMetrics;
import io.chatops.hub.ops.Readiness;
import io.chatops.hub.processes.ProcessRoutes;
import io.chatops.hub.processes.ProcessService;
import io.chatops.hub.servers.ServerRoutes;
import io.chatops.hub.servers.ServerStore;
import io.chatops.hub.servers.ServerView;
import io.chatops.hub.web.WebInterface;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A running hub: the database, the stores and the HTTP server with the agents' endpoint. Start one
 * with {@link #start}; {@link #close} stops serving (agent links close with 1001) and then closes
 * the database, so that nothing acknowledged is lost.
 */
public final class Hub implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Hub.class);
    private final ConnectionLog connections;
    /** Time for agents to answer the close handshake before the server stops. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    /** How soon a live connection notices that its session or token has ended. */
    static final Duration LIVE_RECHECK_EVERY = Duration.ofSeconds(10);
    /** How soon an offline rule notices a silent server, beyond the three intervals that make it offline. */
    static final Duration OFFLINE_CHECK_EVERY = Duration.ofSeconds(5);
    /** How soon past its deadline the record of a command whose hub instance stopped is ended, and its chat job with it. */
    static final Duration ABANDONED_CHECK_EVERY = Duration.ofSeconds(10);
    /** How soon another instance learns that a browser here follows a server, and forwards its samples. */
    static final Duration FOLLOWERS_SYNC_EVERY = Duration.ofSeconds(1);

    private final Database database;
    private final ServerStore servers;
    private final MetricsStore metrics;
    private final AgentGateway gateway;
    private final AgentSessions sessions;
    private final Services services;
    private final Javalin app;
    private final Path initialPasswordFile;
    private final MetricsRetention retention;
    private final ScheduledExecutorService jobs;
    private final LiveHub live;
    private final Peers peers;

    /** The services every front end calls; the REST routes are one such front end. */
    public record Services(CommandService commands, DockerService docker, ServerView servers, AlertService alerts,
            NotificationService notifications, ChatEngine chat, ChatRoom chatRoom, SlackFront slack, MattermostFront mattermost) {
    }

    private Hub(Database database, ServerStore servers, MetricsStore metrics, AgentGateway gateway, AgentSessions sessions,
            Services services, Javalin app, Path initialPasswordFile, MetricsRetention retention, ScheduledExecutorService jobs,
            LiveHub live, ConnectionLog connections, Peers peers) {
        this.connections = connections;
        this.peers = peers;
        this.sessions = sessions;
        this.services = services;
        this.retention = retention;
        this.live = live;
        this.jobs = jobs;
        this.database = database;
        this.servers = servers;
        this.metrics = metrics;
        this.gateway = gateway;
        this.app = app;
        this.initialPasswordFile = initialPasswordFile;
    }

    public static Hub start(HubOptions options, Map<String, String> env, Clock clock) throws IOException, Tls.Invalid {
        SslContextFactory.Server tls = options.tls() ? Tls.context(options.tlsCert(), options.tlsKey()) : null;
        Files.createDirectories(options.dataDir());
        Database database = Database.open(options.dbUrl(), null, null, options.dataDir());
        Peers peers = Peers.solo();
        try {
            if (!database.isSqlite()) {
                peers = new PostgresPeers(database.jdbi(), database::connectDirect);
            }
            UserStore users = new UserStore(database.jdbi(), clock);
            Path passwordFile = FirstAdmin.ensure(users, options.dataDir(), env.get("CHATOPS_ADMIN_PASSWORD"));
            ServerStore servers = new ServerStore(database.jdbi(), clock);
            MetricsStore metrics = new MetricsStore(database.jdbi(), servers, clock);
            AuditLog audit = new AuditLog(database.jdbi(), clock);
            SessionStore sessions = new SessionStore(database.jdbi(), clock);
            TokenStore tokens = new TokenStore(database.jdbi(), clock);
            AccessControl access = new AccessControl(sessions, tokens, new SameOrigin(options.publicUrl()));
            LiveHub live = new LiveHub(access, clock);
            LiveRelay relay = new LiveRelay(live, peers, database.jdbi());
            LivePublisher publisher = new LivePublisher(relay);
            ContainerReports containers = new ContainerReports();
            AgentSessions agents = new AgentSessions(clock, publisher, containers, options.metricsIntervalSeconds(), database.jdbi(), peers);
            AgentRequests requests = new AgentRequests(agents, containers, peers);
            ConnectionLog connections = new ConnectionLog(database.jdbi(), clock, options.retention().hours());
            AgentGateway gateway = new AgentGateway(servers, metrics, agents, requests, containers, connections, publisher, audit, clock);
            AuthRoutes auth = new AuthRoutes(users, sessions, tokens, new LoginLimiter(database.jdbi(), clock), audit,
                    "https".equals(options.publicUrl().getScheme()));
            ServerView serverView = new ServerView(servers, metrics::latestFigures, agents, options.metricsIntervalSeconds());
            ServerRoutes serverRoutes = new ServerRoutes(servers, serverView, agents, audit);
            DockerService docker = new DockerService(requests, containers, audit, clock, peers);
            ProcessService processes = new ProcessService(requests, clock);
            NotificationService notifications = new NotificationService(database.jdbi(), audit,
                    new AlertButtons(database.jdbi(), options.publicUrl(), clock), clock, peers);
            CommandService commands = new CommandService(database.jdbi(), requests, audit, publisher, peers, clock);
            AlertService alerts = new AlertService(database.jdbi(), servers,
                    new AlertService.Sources(metrics, agents, containers, docker.operatorStops(), processes), notifications, audit, publisher,
                    options.publicUrl(), clock, peers);
            ChatEngine chat = new ChatEngine(database.jdbi(), servers, serverView, commands, docker, alerts, metrics, processes, users, audit,
                    options.publicUrl(), peers, clock);
            Services services = new Services(commands, docker, serverView, alerts, notifications, chat,
                    new ChatRoom(database.jdbi(), chat, publisher, alerts, clock), chat.slack(database.jdbi(), options.slackApiUrl(), clock),
                    chat.mattermost(database.jdbi(), options.publicUrl(), clock));
            PrometheusMetrics prometheus = new PrometheusMetrics(gateway, agents, serverView, services.alerts(), notifications,
                    metrics::latestOfEach);
            CommandRoutes commandRoutes = new CommandRoutes(services.commands(), servers);
            DockerRoutes dockerRoutes = new DockerRoutes(services.docker(), servers);
            ProcessRoutes processRoutes = new ProcessRoutes(processes, servers);
            Downloads downloads = new Downloads();
            ApiDocs docs = new ApiDocs();
            MetricsRetention retention = new MetricsRetention(metrics, database.jdbi(), clock, options.retention());
            MetricsRoutes metricsRoutes = new MetricsRoutes(metrics, new MetricsHistory(database.jdbi(), options.retention()),
                    servers, clock);
            peers.start(); // every handler of other instances' messages is registered by now, and no agent is connected yet
            notifications.releaseClaimsOfStoppedInstances();
            Readiness readiness = new Readiness(database, metrics, clock);
            Javalin app = Javalin.create(config -> {
                config.concurrency.useVirtualThreads = true;
                config.startup.showJavalinBanner = false;
                if (tls != null) {
                    // The one connector speaks TLS: https for the API, wss for the agents.
                    config.jetty.modifyServer(server -> {
                        ServerConnector https = new ServerConnector(server, tls);
                        https.setHost(options.listenHost());
                        https.setPort(options.listenPort());
                        server.setConnectors(new Connector[] {https});
                    });
                }
                AcceptQueue.register(config);
                HeaderDeadline.register(config, tls != null);
                ErrorResponses.register(config);
                SecurityHeaders.register(config, tls != null);
                config.routes.beforeMatched(access::check);
                gateway.register(config);
                live.register(config);
                auth.register(config);
                serverRoutes.register(config);
                commandRoutes.register(config);
                dockerRoutes.register(config);
                processRoutes.register(config);
                new AlertRoutes(services.alerts()).register(config);
                new EventRoutes(new ServerEvents(database.jdbi()), servers, clock).register(config);
                new NotificationRoutes(services.notifications()).register(config);
                new ChatRoutes(services.chatRoom(), services.chat(), services.slack(), services.mattermost()).register(config);
                downloads.register(config);
                docs.register(config);
                new WebInterface().register(config);
                metricsRoutes.register(config);
                prometheus.register(config);
                config.routes.get("/api/v1/audit", ctx -> ctx.json(audit.query(ctx.queryParam("server_id"),
                        ctx.queryParam("user"), ctx.queryParam("action"),
                        Query.limit(ctx, 100, AuditLog.MAX_LIMIT))), Role.ADMIN);
                config.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
                config.routes.get("/readyz", ctx -> {
                    String problem = readiness.problem().orElse(null);
                    ctx.status(problem == null ? 200 : 503).json(Map.of("status", problem == null ? "ready" : problem));
                });
            }).start(options.listenHost(), options.listenPort());
            services.slack().start();
            ScheduledExecutorService jobs = Executors.newScheduledThreadPool(2, Thread.ofVirtual().name("hub-job-", 0).factory());
            jobs.scheduleWithFixedDelay(readiness::check, 0, Readiness.CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            jobs.scheduleWithFixedDelay(retention::run, PRUNE_EVERY.toSeconds(), PRUNE_EVERY.toSeconds(), TimeUnit.SECONDS);
            jobs.scheduleWithFixedDelay(live::revalidate, LIVE_RECHECK_EVERY.toSeconds(), LIVE_RECHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
            jobs.scheduleWithFixedDelay(relay::syncFollowers, FOLLOWERS_SYNC_EVERY.toMillis(), FOLLOWERS_SYNC_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
            jobs.scheduleWithFixedDelay(agents::reportSilence, OFFLINE_CHECK_EVERY.toSeconds(), OFFLINE_CHECK_EVERY.toSeconds(),
                    TimeUnit.SECONDS);
            TaskFailures abandonedFailures = new TaskFailures(LOG, "ending what stopped hub instances left running");
            jobs.scheduleWithFixedDelay(() -> abandonedFailures.run(() -> {
                services.commands().endAbandoned();
                services.chat().finishOrphanedJobs();
            }), ABANDONED_CHECK_EVERY.toSeconds(), ABANDONED_CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
            jobs.scheduleWithFixedDelay(services.alerts()::checkOffline, OFFLINE_CHECK_EVERY.toSeconds(), OFFLINE_CHECK_EVERY.toSeconds(),
                    TimeUnit.SECONDS);
            return new Hub(database, servers, metrics, gateway, agents, services, app, passwordFile, retention, jobs, live, connections,
                    peers);
        } catch (RuntimeException e) {
            peers.close();
            database.close();
            throw e;
        }
    }

    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    public ServerStore servers() {
        return servers;
    }

    public MetricsStore metrics() {
        return metrics;
    }

    public AgentGateway gateway() {
        return gateway;
    }

    public Services services() {
        return services;
    }

    /** Which servers have their agent connected. */
    public AgentSessions agents() {
        return sessions;
    }

    /** Every HTTP route the hub serves, as "METHOD path", for the test that the OpenAPI document is complete. */
    public java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .toList();
    }

    public Database database() {
        return database;
    }

    /** Where the generated first admin password was written, when it was generated by this start. */
    public Path initialPasswordFile() {
        return initialPasswordFile;
    }

    /** Agents get a clean close (1001) first, so that they reconnect at once to the next hub. */
    @Override
    public void close() {
        try {
            gateway.closeAll(SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        connections.close();
        jobs.shutdownNow();
        metrics.close(); // every queued sample is written before the database closes
        services.alerts().close(); // and judged
        services.notifications().close(); // what is not sent yet stays in the outbox for the next start
        services.chatRoom().close();
        services.slack().close();
        services.mattermost().close();
        services.chat().close();
        peers.close();
        database.close();
    }

    /** Closes live connections whose session or token ended, as the job does every few seconds: for tests. */
    public void revalidateLiveClients() {
        live.revalidate();
    }

    /** Drops what is past retention now, as the minute job does: for tests and benchmarks. */
    public void pruneNow() {
        retention.run();
    }
}
