package io.chatops.agent.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The client's side of the WebSocket opening handshake (RFC 6455, section 4): an HTTP/1.1 GET asking
 * for an upgrade, and the checks on the answer: status 101, {@code Upgrade: websocket},
 * {@code Connection: upgrade} and the {@code Sec-WebSocket-Accept} that proves the server read this
 * request. Anything else is an error that says what the hub answered instead.
 */
final class WebSocketHandshake {
    /** The longest answer read before giving up on it: a hub's is a few hundred bytes. */
    static final int MAX_RESPONSE_BYTES = 16 * 1024;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {
    }

    /** Sends the upgrade request for {@code uri} and reads the answer up to the first frame's byte. */
    static void perform(URI uri, String userAgent, InputStream in, OutputStream out) throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        out.write(request(uri, userAgent, key).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        check(readHead(in), key);
    }

    static String request(URI uri, String userAgent, String key) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "\r\n";
    }

    /** The status line and headers, without the blank line that ends them. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new ProtocolException(head.length() == 0 ? "the hub closed the connection without answering the WebSocket upgrade"
                        : "the hub's answer to the WebSocket upgrade ended early: " + firstLine(head));
            }
            if (head.length() >= MAX_RESPONSE_BYTES) {
                throw new ProtocolException("the hub's answer to the WebSocket upgrade is longer than " + MAX_RESPONSE_BYTES + " bytes");
            }
            head.append((char) b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        head.setLength(head.length() - 4);
        return head.toString();
    }

    static void check(String head, String key) throws ProtocolException {
        String[] lines = head.replace("\r\n", "\n").split("\n"); // split("\r\n") would compile a regular expression
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new ProtocolException("the hub did not answer the WebSocket upgrade in HTTP: " + cut(lines[0]));
        }
        if (!"101".equals(status[1])) {
            throw new ProtocolException("the hub answered the WebSocket upgrade with HTTP " + status[1]
                    + (status.length > 2 ? " " + cut(status[2]) : "") + " instead of 101");
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("the hub's answer to the WebSocket upgrade has a malformed header: " + cut(lines[i]));
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                default -> { } // other headers say nothing about the upgrade
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw new ProtocolException("the hub's answer to the WebSocket upgrade lacks \"Upgrade: websocket\"");
        }
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new ProtocolException("the hub's answer to the WebSocket upgrade lacks \"Connection: upgrade\"");
        }
        if (!expectedAccept(key).equals(accept)) {
            throw new ProtocolException("the hub's Sec-WebSocket-Accept does not match this agent's key (a proxy that does not speak WebSocket?)");
        }
    }

    static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    private static String firstLine(CharSequence head) {
        String text = head.toString();
        int end = text.indexOf('\r');
        return cut(end < 0 ? text : text.substring(0, end));
    }

    private static String cut(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 100 ? printable : printable.substring(0, 100) + "…";
    }
}
