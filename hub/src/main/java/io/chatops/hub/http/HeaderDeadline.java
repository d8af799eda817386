package io.chatops.hub.http;

import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A request's headers must arrive within {@link #LIMIT}: a connection whose first request's headers
 * are not all there {@link #LIMIT} after it opened, or that stays within a later request's headers
 * between two checks {@link #LIMIT} apart, is answered 408 and closed. The web server's idle
 * timeout alone does not do it: a slowloris client sending a header byte every
 * second is never idle, and measured here 1 000 of them stayed open for as long as they liked,
 * each holding a socket and a parser. Requests whose headers came (a WebSocket, a long answer)
 * are not concerned; keep-alive connections between requests are left to the idle timeout. This
 * is what Node's {@code headersTimeout} and Apache's {@code RequestReadTimeout} do.
 */
public final class HeaderDeadline {
    /**
     * Apache's first limit for a request's headers. With 10 s, 10 000 idle connections closed and
     * opened again made 1 000 agents' acknowledgements twice as slow (p99); with 20 s, 1.3 times.
     */
    public static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String TIMEOUT_BODY = "{\"error\":{\"code\":\"request_timeout\",\"message\":\"the request's headers took more than "
            + LIMIT.toSeconds() + " s\"}}";

    private HeaderDeadline() {
    }

    /** {@code tls}: the hub itself serves https (its answers carry HSTS). */
    public static void register(JavalinConfig config, boolean tls) {
        StringBuilder answer = new StringBuilder("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\n");
        SecurityHeaders.apply(tls, (name, value) -> answer.append(name).append(": ").append(value).append("\r\n"));
        answer.append("Content-Length: ").append(TIMEOUT_BODY.length()).append("\r\n\r\n").append(TIMEOUT_BODY);
        byte[] timeout = answer.toString().getBytes(StandardCharsets.US_ASCII);
        config.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    connector.addEventListener(new Connection.Listener() {
                        @Override
                        public void onOpened(Connection connection) {
                            if (connection instanceof HttpConnection http) {
                                new Watch(http, connector.getScheduler(), timeout).schedule();
                            }
                        }
                    });
                }
            }
        }));
    }

    /** One connection's check, every {@link #LIMIT} while it speaks HTTP/1: did the headers it was in come meanwhile? */
    private static final class Watch implements Runnable {
        private final HttpConnection connection;
        private final Scheduler scheduler;
        private final byte[] timeout;
        private long requestsSeen;
        private boolean inHeadersBefore;

        Watch(HttpConnection connection, Scheduler scheduler, byte[] timeout) {
            this.connection = connection;
            this.scheduler = scheduler;
            this.timeout = timeout;
        }

        void schedule() {
            scheduler.schedule(this, LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            EndPoint endPoint = connection.getEndPoint();
            if (!endPoint.isOpen() || endPoint.getConnection() != connection) {
                return; // closed, or upgraded to a WebSocket
            }
            HttpParser parser = connection.getParser();
            long requests = connection.getMessagesIn();
            boolean inHeaders = parser.inHeaderState() && !parser.isStart();
            // The first request's headers are timed from the connection's opening; a later one's from when it was seen begun.
            if (requests == 0 || inHeaders && inHeadersBefore && requests == requestsSeen) {
                refuse(endPoint, requests == connection.getMessagesOut());
                return;
            }
            requestsSeen = requests;
            inHeadersBefore = inHeaders;
            schedule();
        }

        /** Answers 408 when no answer of its own is being written, then closes. */
        private void refuse(EndPoint endPoint, boolean nothingInFlight) {
            if (!nothingInFlight) {
                endPoint.close();
                return;
            }
            try {
                endPoint.write(Callback.from(endPoint::close), ByteBuffer.wrap(timeout));
            } catch (RuntimeException writing) {
                endPoint.close(); // the server began an answer meanwhile
            }
        }
    }
}
