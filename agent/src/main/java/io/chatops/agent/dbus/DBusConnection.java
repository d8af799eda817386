package io.chatops.agent.dbus;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A connection to a D-Bus message bus over its Unix socket, with what a client needs to call a
 * method and read the reply: the EXTERNAL authentication (the bus knows our uid from the socket),
 * {@code Hello}, and method calls whose replies are read with a deadline, so that a hung bus never
 * holds the caller up for long. Messages other than the awaited reply (the bus's NameAcquired
 * signal) are skipped. Not thread-safe.
 */
public final class DBusConnection implements AutoCloseable {
    /** Replies larger than this are refused: a system's units are a few hundred KiB at most. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;
    private static final int METHOD_RETURN = 2;
    private static final int ERROR = 3;

    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private int serial;

    private DBusConnection(SocketChannel channel, Selector selector, Duration timeout) {
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /** Connects, authenticates and says Hello to the bus at {@code socket}. */
    public static DBusConnection open(Path socket, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            DBusConnection connection = new DBusConnection(channel, selector, timeout);
            connection.authenticate();
            connection.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", "", null);
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    private void authenticate() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        StringBuilder hex = new StringBuilder();
        for (byte b : Integer.toString(uid).getBytes(StandardCharsets.US_ASCII)) {
            hex.append(String.format("%02x", b));
        }
        write(ByteBuffer.wrap(("\0AUTH EXTERNAL " + hex + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        String answer = readLine();
        if (!answer.startsWith("OK ")) {
            throw new IOException("the D-Bus bus refused to authenticate us: " + answer);
        }
        write(ByteBuffer.wrap("BEGIN\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Calls {@code member} and returns the reply's body; {@code signature} and {@code arguments}
     * describe the call's body (empty and null for none). A D-Bus error reply becomes an IOException.
     */
    public DBusReader call(String destination, String path, String iface, String member, String signature, DBusWriter arguments)
            throws IOException {
        int sent = ++serial;
        write(methodCall(sent, destination, path, iface, member, signature, arguments));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ByteBuffer fixed = read(16, deadline);
            ByteOrder order = switch (fixed.get(0)) {
                case 'l' -> ByteOrder.LITTLE_ENDIAN;
                case 'B' -> ByteOrder.BIG_ENDIAN;
                default -> throw new IOException("a D-Bus message starts with an unknown byte order " + fixed.get(0));
            };
            fixed.order(order);
            int type = fixed.get(1);
            long bodyLength = Integer.toUnsignedLong(fixed.getInt(4));
            long fieldsLength = Integer.toUnsignedLong(fixed.getInt(12));
            long headerLength = 16 + fieldsLength + DBusReader.padding(16 + fieldsLength, 8);
            if (headerLength + bodyLength > MAX_MESSAGE_BYTES) {
                throw new IOException("a D-Bus message of " + (headerLength + bodyLength) + " bytes is larger than "
                        + MAX_MESSAGE_BYTES);
            }
            ByteBuffer rest = read((int) (headerLength - 16 + bodyLength), deadline);
            ByteBuffer message = ByteBuffer.allocate((int) (headerLength + bodyLength)).order(order);
            message.put(fixed.rewind()).put(rest).flip();
            DBusReader header = new DBusReader(message, 16, (int) (16 + fieldsLength));
            Header fields = Header.read(header);
            if ((type == METHOD_RETURN || type == ERROR) && fields.replySerial() == sent) {
                DBusReader body = new DBusReader(message, (int) headerLength, message.limit());
                if (type == ERROR) {
                    String text = fields.signature().startsWith("s") ? body.string() : "";
                    throw new IOException(fields.errorName() + (text.isEmpty() ? "" : ": " + text));
                }
                return body;
            }
        }
    }

    private static ByteBuffer methodCall(int serial, String destination, String path, String iface, String member, String signature,
            DBusWriter arguments) {
        DBusWriter body = arguments == null ? new DBusWriter() : arguments;
        DBusWriter message = new DBusWriter();
        message.bytes('l', 1, 0, 1);
        message.uint32(body.size());
        message.uint32(serial);
        message.array(8, fields -> {
            fields.field(1, "o", path);
            fields.field(2, "s", iface);
            fields.field(3, "s", member);
            fields.field(6, "s", destination);
            if (!signature.isEmpty()) {
                fields.field(8, "g", signature);
            }
        });
        message.align(8);
        message.append(body);
        return message.buffer();
    }

    /** The header fields a reply is told by. */
    private record Header(long replySerial, String errorName, String signature) {
        static Header read(DBusReader fields) throws IOException {
            long replySerial = -1;
            String errorName = "";
            String signature = "";
            while (fields.remaining() > 0) {
                fields.align(8);
                int code = fields.uint8();
                String type = fields.signature();
                Object value = fields.basic(type);
                switch (code) {
                    case 4 -> errorName = (String) value;
                    case 5 -> replySerial = (Long) value;
                    case 8 -> signature = (String) value;
                    default -> { } // path, interface, member, destination, sender, unix fds
                }
            }
            return new Header(replySerial, errorName, signature);
        }
    }

    private void write(ByteBuffer buffer) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(deadline, SelectionKey.OP_WRITE);
            }
        }
    }

    private ByteBuffer read(int length, long deadline) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException("the D-Bus bus closed the connection");
            }
            if (n == 0) {
                await(deadline, SelectionKey.OP_READ);
            }
        }
        return buffer.flip();
    }

    /** One line of the authentication exchange, byte by byte: nothing after it may be read yet. */
    private String readLine() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder line = new StringBuilder();
        while (line.length() < 1024) {
            char c = (char) read(1, deadline).get();
            if (c == '\n') {
                return line.toString().strip();
            }
            line.append(c);
        }
        throw new IOException("the D-Bus bus answered the authentication with an overlong line");
    }

    private void await(long deadline, int operation) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("the D-Bus bus did not answer within " + timeout.toMillis() + " ms");
        }
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(operation);
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    /** The bus's socket: {@code DBUS_SYSTEM_BUS_ADDRESS} ({@code unix:path=…}) when set, else the system bus's usual place. */
    public static Path systemBus(String address) throws IOException {
        if (address == null || address.isBlank()) {
            return Path.of("/run/dbus/system_bus_socket");
        }
        for (String candidate : List.of(address.split(";"))) {
            for (String part : candidate.substring(candidate.indexOf(':') + 1).split(",")) {
                if (candidate.startsWith("unix:") && part.startsWith("path=")) {
                    return Path.of(part.substring(5));
                }
            }
        }
        throw new IOException("no unix:path= in the D-Bus address " + address);
    }
}
