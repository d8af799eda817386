package io.chatops.agent.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Just enough HTTP/1.1 to speak to the Docker Engine API over its Unix socket, with the JDK's
 * {@link UnixDomainSocketAddress}: one connection per request ({@code Connection: close}), bodies
 * by length, chunked or to the end, each request with a deadline after which its socket is closed.
 * A missing or refusing socket is a {@link DockerUnavailableException}, so that Docker coming back
 * later simply works again.
 */
final class DockerHttp {
    /** Container lists and inspections are kilobytes; logs are capped by the caller's tail. */
    static final int MAX_BODY_BYTES = 32 << 20;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Path socket;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "docker-deadline");
        thread.setDaemon(true);
        return thread;
    });

    DockerHttp(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends a request and reads the whole response within {@code timeout}. */
    Response request(String method, String target, Duration timeout) throws IOException {
        SocketChannel channel = open();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(channel), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            InputStream in = send(channel, method, target);
            Head head = readHead(in);
            return new Response(head.status, readAll(head.body(in), MAX_BODY_BYTES));
        } catch (IOException e) {
            if (deadline.isDone()) {
                throw new IOException("Docker did not answer " + method + " " + path(target) + " within "
                        + timeout.toSeconds() + " s");
            }
            throw e;
        } finally {
            deadline.cancel(false);
            closeQuietly(channel);
        }
    }

    /** Opens a long-lived response body (the event stream); the caller closes it. */
    InputStream stream(String target) throws IOException {
        SocketChannel channel = open();
        try {
            InputStream in = send(channel, "GET", target);
            Head head = readHead(in);
            if (head.status >= 300) {
                throw new DockerApiException(head.status, new String(readAll(head.body(in), 64 * 1024), StandardCharsets.UTF_8));
            }
            return head.body(in);
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private SocketChannel open() throws IOException {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new DockerUnavailableException("cannot reach Docker at " + socket + ": " + e.getMessage());
        }
    }

    private static InputStream send(SocketChannel channel, String method, String target) throws IOException {
        String request = method + " " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: chatops-agent\r\n"
                + "Connection: close\r\nContent-Length: 0\r\n\r\n";
        channel.write(StandardCharsets.US_ASCII.encode(request));
        return new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
    }

    private record Head(int status, boolean chunked, long contentLength) {
        InputStream body(InputStream in) {
            if (chunked) {
                return new ChunkedInputStream(in);
            }
            return contentLength >= 0 ? new BoundedInputStream(in, contentLength) : in;
        }
    }

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("Docker answered with a bad status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("Docker answered with a bad status line: " + statusLine);
        }
        boolean chunked = false;
        long length = -1;
        int total = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("Docker's response headers are too large");
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                length = Long.parseLong(value);
            }
        }
        return new Head(status, chunked, length);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Docker closed the connection mid-response");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("Docker sent a line that is too long");
            }
            line.append((char) b);
        }
    }

    static byte[] readAll(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > max) {
                throw new IOException("Docker's response is larger than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String path(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }

    /** A body of known length. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
