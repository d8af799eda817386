package io.chatops.hub.http;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A listening socket with room for a fleet's reconnect wave. With the JVM's default backlog of 50,
 * thousands of agents reconnecting at once (a hub restart) overflow it: the kernel drops their
 * SYNs, and each falls into TCP's retransmission backoff (1 s, 3 s, 7 s …) before its own. The
 * kernel caps the size at {@code net.core.somaxconn} (4 096 on current Linux).
 */
public final class AcceptQueue {
    public static final int SIZE = 4_096;

    private AcceptQueue() {
    }

    public static void register(JavalinConfig config) {
        config.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector listening) {
                        listening.setAcceptQueueSize(SIZE);
                    }
                }
            }
        }));
    }
}
