package io.chatops.agent;

import io.chatops.agent.config.AgentConfig;
import io.chatops.agent.config.CommandLine;
import io.chatops.agent.config.ConfigException;
import io.chatops.agent.config.ConfigLoader;
import io.chatops.agent.log.Log;
import io.chatops.protocol.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * {@code chatops-agent}: reads the configuration, starts the agent and runs until SIGTERM or
 * SIGINT, which close the link with code 1000 and exit 0. A bad setting exits 2 with a message
 * naming it.
 */
public final class Main {
    static final int EXIT_CONFIG = 2;
    /** systemd waits 90 s by default; the promise to operators is 5 s. */
    private static final long STOP_SECONDS = 4;
    private static final Log LOG = Log.named("agent");

    private Main() {
    }

    public static void main(String[] args) {
        String version = version();
        AgentConfig config;
        try {
            CommandLine cli = CommandLine.parse(args);
            if (cli.wantsVersion()) {
                System.out.println("chatops-agent " + version + " (protocol " + Message.PROTOCOL_VERSION + ", Java "
                        + Runtime.version() + ")");
                return;
            }
            if (cli.wantsHelp()) {
                System.out.print(CommandLine.usage());
                return;
            }
            config = new ConfigLoader(System.getenv()).load(cli);
        } catch (ConfigException e) {
            System.err.println("chatops-agent: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        Log.setLevel(config.logLevel());
        LOG.info("chatops-agent %s starting: %s", version, config.describe());
        warnAboutRisks(config);

        Agent agent;
        try {
            agent = new Agent(config, version);
        } catch (IOException e) {
            System.err.println("chatops-agent: cannot start: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        Runnable stop = () -> {
            LOG.info("stopping");
            try {
                agent.stop().get(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("the link did not close in time: %s", e);
            }
            System.exit(0);
        };
        Signal.handle(new Signal("TERM"), signal -> stop.run());
        Signal.handle(new Signal("INT"), signal -> stop.run());
        agent.start();
        // Every worker thread is a daemon; this one keeps the process up until a signal ends it.
        agent.stopped().join();
    }

    private static void warnAboutRisks(AgentConfig config) {
        if ("root".equals(System.getProperty("user.name")) && config.execEnabled()) {
            LOG.warn("running as root: the hub's commands would run as root. Run the agent as its own user "
                    + "(see the systemd unit), or pass -disable-exec or -exec-allow");
        }
        for (URI hub : config.apiUrls()) {
            String scheme = hub.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("ws")) && !isLoopback(hub.getHost())) {
                LOG.warn("the hub " + hub + " is reached without TLS: the API key and all data cross the network in clear text; "
                        + "use https://");
            }
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
            return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "dev";
        }
    }
}
