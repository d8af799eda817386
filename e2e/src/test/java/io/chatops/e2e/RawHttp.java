package io.chatops.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Bytes on a plain socket, for clients that misbehave below what an HTTP or WebSocket library lets one do. */
final class RawHttp {
    private RawHttp() {
    }

    /** A non-blocking connection: thousands can be watched from one thread. */
    static SocketChannel open(int port) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * What the peer did with a connection it was expected to leave alone: null while it is open and
     * silent, otherwise the first line of its answer, or how it ended it without one.
     */
    static String peerAnswer(SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        try {
            int read = channel.read(buffer);
            if (read == 0) {
                return null;
            }
            if (read < 0) {
                return "closed by the hub without an answer";
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            return "answered " + text.lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            return "broken by the hub";
        }
    }

    static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a connection the hub already dropped
            }
        }
    }

    /** The first line the peer sent, or what ended the connection instead. */
    static String statusLine(Socket socket) {
        try {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            String text = line.toString(StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? "closed by the hub without an answer" : "answered " + text;
        } catch (IOException e) {
            return "broken by the hub";
        }
    }

    static void skipHeaders(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended within the headers");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    /** A client's text frame, masked as RFC 6455 requires (with a zero mask: the bytes go as they are). */
    static void writeMaskedText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        } else {
            throw new IllegalArgumentException("frames over 64 KiB are not needed here");
        }
        frame.write(new byte[4]);
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** What a server sent on a WebSocket: its frames, their bytes, and how it closed (null while still open). */
    record Frames(long count, long bytes, String close) {
    }

    /**
     * Reads server frames until a close frame, the end of the connection, or {@code within} (past it,
     * or after a pause of the socket's timeout, the connection is taken as still open).
     */
    static Frames readFrames(InputStream in, java.time.Duration within) throws IOException {
        long count = 0;
        long bytes = 0;
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                int first = in.read();
                if (first < 0) {
                    return new Frames(count, bytes, "the hub ended the connection without a close frame");
                }
                int lengthByte = in.read() & 0x7f;
                long length = lengthByte == 126 ? (in.read() << 8) | in.read()
                        : lengthByte == 127 ? new java.io.DataInputStream(in).readLong() : lengthByte;
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 0x8) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new Frames(count, bytes, "closed by the hub with " + code + " " + reason);
                }
                count++;
                bytes += length;
            }
            return new Frames(count, bytes, null);
        } catch (SocketTimeoutException stillOpen) {
            return new Frames(count, bytes, null);
        } catch (IOException broken) {
            return new Frames(count, bytes, "the hub broke the connection");
        }
    }
}
