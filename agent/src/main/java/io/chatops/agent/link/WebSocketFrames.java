package io.chatops.agent.link;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * WebSocket frames (RFC 6455, section 5) as a client writes and reads them: what it writes is masked
 * and sent whole in one frame; what it reads must not be masked. {@link Reader} hands over one frame's
 * header at a time and lets the caller read or skip its payload, so that an oversized frame is never
 * held in memory.
 */
final class WebSocketFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** Control frames carry at most this much (section 5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private WebSocketFrames() {
    }

    /** A whole client frame: FIN, {@code opcode}, the length, {@code mask} and the payload masked with it. */
    static byte[] encode(int opcode, byte[] payload, int mask) {
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + length];
        frame[0] = (byte) (0x80 | opcode);
        int at = 2;
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | length);
        } else if (lengthBytes == 2) {
            frame[1] = (byte) (0x80 | 126);
            frame[at++] = (byte) (length >>> 8);
            frame[at++] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[at++] = (byte) ((long) length >>> shift);
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(key, 0, frame, at, 4);
        at += 4;
        for (int i = 0; i < length; i++) {
            frame[at + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        return frame;
    }

    /** A close frame's payload: the code, then the reason in UTF-8, cut to fit a control frame. */
    static byte[] closePayload(int code, String reason) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return payload;
    }

    /** Reads frames from the server one header at a time. */
    static final class Reader {
        private final InputStream in;
        private final byte[] skipBuffer = new byte[8192];
        private boolean fin;
        private int opcode;
        private long length;

        Reader(InputStream in) {
            this.in = in;
        }

        /** Reads the next frame's header; its payload must be read or skipped before the next. */
        void next() throws IOException {
            int first = readByte();
            int second = readByte();
            if ((first & 0x70) != 0) {
                throw new ProtocolException("the hub set reserved bits in a frame (no extension was agreed)");
            }
            if ((second & 0x80) != 0) {
                throw new ProtocolException("the hub sent a masked frame (a server must not mask)");
            }
            fin = (first & 0x80) != 0;
            opcode = first & 0x0F;
            length = second & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
                if (length < 0) {
                    throw new ProtocolException("the hub sent a frame length with the highest bit set");
                }
            }
            boolean control = (opcode & 0x8) != 0;
            if (control && (!fin || length > MAX_CONTROL_PAYLOAD)) {
                throw new ProtocolException("the hub sent a control frame that is fragmented or longer than 125 bytes");
            }
            switch (opcode) {
                case CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG -> { }
                default -> throw new ProtocolException("the hub sent a frame of unknown type " + opcode);
            }
        }

        boolean fin() {
            return fin;
        }

        int opcode() {
            return opcode;
        }

        long length() {
            return length;
        }

        /** The payload, read whole; the caller checked that its length fits. */
        byte[] payload() throws IOException {
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException("the connection ended in the middle of a frame");
            }
            return payload;
        }

        /** Reads past the payload through {@code read}, as everything else (not {@code skip}, which would bypass its timeouts). */
        void skipPayload() throws IOException {
            long left = length;
            while (left > 0) {
                int n = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, left));
                if (n < 0) {
                    throw new EOFException("the connection ended in the middle of a frame");
                }
                left -= n;
            }
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the hub closed the connection without a close frame");
            }
            return b;
        }
    }
}
