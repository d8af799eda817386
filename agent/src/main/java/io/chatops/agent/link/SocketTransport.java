package io.chatops.agent.link;

import io.chatops.protocol.MessageCodec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link Transport} over a socket that speaks WebSocket itself ({@link WebSocketHandshake},
 * {@link WebSocketFrames}), with TLS for {@code wss://}. Each connection has one thread that connects,
 * upgrades and then reads, asleep in the kernel between frames, and answers pings; frames are written
 * whole by the sending thread (the link's). Compared with the JDK's HTTP client this saves the agent
 * two threads, most of the wake-ups and most of the code run per sample (docs/agent.md, "Resource use").
 *
 * <p>A write blocks while the hub does not read: the reading thread wakes at least every
 * {@code watchEvery} and drops a connection whose write has not finished after {@code writeStall}.
 */
public final class SocketTransport implements Transport {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration WRITE_STALL = Duration.ofSeconds(60);
    static final Duration WATCH_EVERY = Duration.ofSeconds(30);
    /** The code a close frame without one stands for (RFC 6455, 7.1.5). */
    static final int NO_STATUS = 1005;

    private final String userAgent;
    /** For {@code wss://}; null for the runtime's default, set up only when first needed. */
    private final SSLSocketFactory tls;
    private final Duration writeStall;
    private final Duration watchEvery;

    public SocketTransport(String userAgent) {
        this(userAgent, null, WRITE_STALL, WATCH_EVERY);
    }

    SocketTransport(String userAgent, SSLSocketFactory tls) {
        this(userAgent, tls, WRITE_STALL, WATCH_EVERY);
    }

    SocketTransport(String userAgent, Duration writeStall, Duration watchEvery) {
        this(userAgent, null, writeStall, watchEvery);
    }

    private SocketTransport(String userAgent, SSLSocketFactory tls, Duration writeStall, Duration watchEvery) {
        this.userAgent = userAgent;
        this.tls = tls;
        this.writeStall = writeStall;
        this.watchEvery = watchEvery;
    }

    @Override
    public CompletableFuture<Connection> connect(URI uri, Listener listener) {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        SocketConnection connection = new SocketConnection(listener);
        Thread reader = new Thread(() -> connection.run(uri, opened), "agent-link-reader");
        reader.setDaemon(true);
        reader.start();
        return opened;
    }

    private final class SocketConnection implements Connection {
        private final Listener listener;
        /** Held while a frame is written; see {@link #lockWriting()}. */
        private final ReentrantLock writing = new ReentrantLock();
        private final SecureRandom masks = new SecureRandom();
        private volatile Socket socket;
        private OutputStream out;
        /** When the write in progress began (System.nanoTime), 0 when none is. */
        private volatile long writeSince;
        /** The handshake is done: a read timeout from now on is the watch on writes, not an error. */
        private volatile boolean upgraded;
        /** Set once: the connection is over and nothing more is written or reported. */
        private volatile boolean ended;
        private volatile IOException failure;
        private boolean closeSent;

        SocketConnection(Listener listener) {
            this.listener = listener;
        }

        void run(URI uri, CompletableFuture<Connection> opened) {
            try {
                socket = open(uri);
                socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
                InputStream in = new BufferedInputStream(new Patient(socket.getInputStream()), 8192);
                out = socket.getOutputStream();
                WebSocketHandshake.perform(uri, userAgent, in, out);
                upgraded = true;
                socket.setSoTimeout((int) watchEvery.toMillis());
                if (!opened.complete(this)) {
                    end();
                    return;
                }
                read(new WebSocketFrames.Reader(in));
                end(); // closed by the hub, or aborted while the handshake went on
            } catch (IOException | RuntimeException e) {
                boolean report = !ended; // after an abort, the error is only the socket closing under the read
                end();
                if (!opened.completeExceptionally(e) && report) {
                    listener.onFailed(this, failure != null ? failure : e);
                }
            }
        }

        private Socket open(URI uri) throws IOException {
            boolean secured = "wss".equalsIgnoreCase(uri.getScheme());
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            int port = uri.getPort() != -1 ? uri.getPort() : secured ? 443 : 80;
            Socket plain = new Socket();
            try {
                plain.setTcpNoDelay(true);
                plain.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
                if (!secured) {
                    return plain;
                }
                plain.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
                SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
                SSLSocket secure = (SSLSocket) factory.createSocket(plain, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the hub
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                return secure;
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
            }
        }

        /** Reads messages until the connection ends, joining fragments and refusing what the protocol does not allow. */
        private void read(WebSocketFrames.Reader frames) throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream(0); // the text message being joined
            boolean inMessage = false;
            boolean binary = false;
            long dropped = 0; // bytes of a message over the limit read past
            while (!ended) {
                frames.next();
                int opcode = frames.opcode();
                if (opcode == WebSocketFrames.PING || opcode == WebSocketFrames.PONG) {
                    byte[] payload = frames.payload();
                    if (opcode == WebSocketFrames.PING) {
                        write(WebSocketFrames.PONG, payload);
                    }
                    listener.onActivity(this);
                    continue;
                }
                if (opcode == WebSocketFrames.CLOSE) {
                    closedByHub(frames.payload());
                    return;
                }
                boolean continuation = opcode == WebSocketFrames.CONTINUATION;
                if (continuation != inMessage) {
                    throw new ProtocolException(continuation ? "the hub continued a message it had not begun"
                            : "the hub began a message before ending the last one");
                }
                if (!continuation) {
                    inMessage = true;
                    binary = opcode == WebSocketFrames.BINARY;
                }
                if (binary || dropped > 0 || message.size() + frames.length() > MessageCodec.MAX_FRAME_BYTES) {
                    dropped += message.size() + frames.length();
                    message.reset();
                    frames.skipPayload();
                } else if (frames.fin() && !continuation) {
                    deliver(frames.payload()); // a message in one frame, the usual case, is not copied
                } else {
                    message.write(frames.payload());
                }
                if (frames.fin()) {
                    if (binary) {
                        listener.onBadFrame(this, "binary frames are not part of the protocol");
                    } else if (dropped > 0) {
                        listener.onBadFrame(this, "frame of " + dropped + " bytes exceeds the limit of " + MessageCodec.MAX_FRAME_BYTES
                                + " bytes");
                    } else if (continuation) {
                        deliver(message.toByteArray());
                    }
                    message = new ByteArrayOutputStream(0);
                    inMessage = false;
                    dropped = 0;
                }
            }
        }

        private void deliver(byte[] utf8) {
            try {
                listener.onText(this, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString());
            } catch (CharacterCodingException e) {
                listener.onBadFrame(this, "a text frame that is not valid UTF-8");
            }
        }

        /** The hub's close frame: answered with the same code when the agent did not begin the close, then the socket goes. */
        private void closedByHub(byte[] payload) throws ProtocolException {
            if (payload.length == 1) {
                throw new ProtocolException("the hub sent a close frame of one byte");
            }
            int code = payload.length == 0 ? NO_STATUS : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            String reason = payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
            if (lockWriting()) {
                try {
                    if (!closeSent) {
                        closeSent = true;
                        writeFrame(WebSocketFrames.CLOSE, payload.length == 0 ? payload : WebSocketFrames.closePayload(code, ""));
                    }
                } catch (IOException e) {
                    // the hub may not wait for the answer; its close is what counts
                } finally {
                    writing.unlock();
                }
            }
            end();
            listener.onClosed(this, code, reason);
        }

        @Override
        public boolean send(byte[] utf8) {
            return write(WebSocketFrames.TEXT, utf8);
        }

        @Override
        public void close(int code, String reason) {
            if (!lockWriting()) {
                return;
            }
            try {
                if (!closeSent && !ended) {
                    closeSent = true;
                    writeFrame(WebSocketFrames.CLOSE, WebSocketFrames.closePayload(code, reason));
                }
            } catch (IOException e) {
                fail(e);
            } finally {
                writing.unlock();
            }
        }

        @Override
        public void abort() {
            end();
        }

        /**
         * False once the connection is closing or over. A write that fails ends the connection, and the
         * reading thread reports why ({@link Listener#onFailed}).
         */
        private boolean write(int opcode, byte[] payload) {
            if (!lockWriting()) {
                return false;
            }
            try {
                if (ended || closeSent || failure != null) {
                    return false;
                }
                writeFrame(opcode, payload);
            } catch (IOException e) {
                fail(e);
            } finally {
                writing.unlock();
            }
            return true;
        }

        /**
         * Waits for the frame being written. The link writes and the reading thread answers pings, and
         * either may be stuck in a write the hub does not take: one that has waited {@code writeStall}
         * for the other gives up the connection, which ends that write too, instead of waiting forever.
         */
        private boolean lockWriting() {
            try {
                if (writing.tryLock(writeStall.toNanos(), TimeUnit.NANOSECONDS)) {
                    return true;
                }
                fail(stalled());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        private void writeFrame(int opcode, byte[] payload) throws IOException {
            byte[] frame = WebSocketFrames.encode(opcode, payload, masks.nextInt());
            writeSince = System.nanoTime();
            try {
                out.write(frame);
            } finally {
                writeSince = 0;
            }
        }

        /** A write failed or stalled: the socket goes, and the reading thread reports the first such {@code error}. */
        private void fail(IOException error) {
            if (failure == null) {
                failure = error;
            }
            closeSocket();
        }

        private void end() {
            ended = true;
            closeSocket();
        }

        private void closeSocket() {
            Socket open = socket;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // closing is all that was wanted
                }
            }
        }

        /** Called when a read has waited {@code watchEvery}: gives up on a write that has not finished for too long. */
        private void checkWrite() {
            long since = writeSince;
            if (since != 0 && System.nanoTime() - since >= writeStall.toNanos()) {
                fail(stalled());
            }
        }

        private IOException stalled() {
            return new IOException("the hub has not read what the agent sent for " + writeStall.toSeconds() + " s");
        }

        /** Socket input whose read timeouts are the watch on writes, not errors. */
        private final class Patient extends FilterInputStream {
            Patient(InputStream in) {
                super(in);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                while (true) {
                    try {
                        return super.read(buffer, offset, length);
                    } catch (SocketTimeoutException e) {
                        if (!upgraded) {
                            throw new SocketTimeoutException("the hub did not answer within " + CONNECT_TIMEOUT.toSeconds() + " s");
                        }
                        checkWrite();
                    }
                }
            }
        }
    }
}
