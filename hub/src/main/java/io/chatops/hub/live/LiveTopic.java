package io.chatops.hub.live;

import java.util.Optional;

/**
 * A topic of the browsers' live WebSocket (API.md): {@code servers}, {@code server:<id>:metrics},
 * {@code server:<id>:containers}, {@code command:<id>} or {@code alerts}. Built by the hub with the factory
 * methods; what a client sends is read with {@link #parse}, which accepts only these shapes.
 *
 * @param id the server's or command's id; null for the topics of the whole hub ({@link Kind#SERVERS}, {@link Kind#ALERTS}, {@link Kind#CHAT})
 */
public record LiveTopic(Kind kind, String id) {
    /** Ids are UUIDs or prefixed UUIDs; anything longer is not one of ours. */
    static final int MAX_ID_CHARS = 80;

    public enum Kind {
        /** Status changes of every server. */
        SERVERS,
        SERVER_METRICS,
        SERVER_CONTAINERS,
        /** A command's output as it streams, and its end; replayed to late subscribers. */
        COMMAND,
        /** Every change of an alert's state. */
        ALERTS,
        /** The web chat room's messages, new and rewritten. */
        CHAT
    }

    public LiveTopic {
        boolean global = kind == Kind.SERVERS || kind == Kind.ALERTS || kind == Kind.CHAT;
        if (global != (id == null) || (id != null && !validId(id))) {
            throw new IllegalArgumentException("bad live topic " + kind + " " + id);
        }
    }

    public static LiveTopic servers() {
        return new LiveTopic(Kind.SERVERS, null);
    }

    public static LiveTopic alerts() {
        return new LiveTopic(Kind.ALERTS, null);
    }

    public static LiveTopic chat() {
        return new LiveTopic(Kind.CHAT, null);
    }

    public static LiveTopic serverMetrics(String serverId) {
        return new LiveTopic(Kind.SERVER_METRICS, serverId);
    }

    public static LiveTopic serverContainers(String serverId) {
        return new LiveTopic(Kind.SERVER_CONTAINERS, serverId);
    }

    public static LiveTopic command(String commandId) {
        return new LiveTopic(Kind.COMMAND, commandId);
    }

    /** The topic a client named, or empty when it is not one. */
    public static Optional<LiveTopic> parse(String name) {
        if (name.equals("servers")) {
            return Optional.of(servers());
        }
        if (name.equals("alerts")) {
            return Optional.of(alerts());
        }
        if (name.equals("chat")) {
            return Optional.of(chat());
        }
        String[] parts = name.split(":", -1);
        if (parts.length == 2 && parts[0].equals("command") && validId(parts[1])) {
            return Optional.of(command(parts[1]));
        }
        if (parts.length == 3 && parts[0].equals("server") && validId(parts[1])) {
            if (parts[2].equals("metrics")) {
                return Optional.of(serverMetrics(parts[1]));
            }
            if (parts[2].equals("containers")) {
                return Optional.of(serverContainers(parts[1]));
            }
        }
        return Optional.empty();
    }

    /** The topic as clients name it. */
    public String wireName() {
        return switch (kind) {
            case SERVERS -> "servers";
            case ALERTS -> "alerts";
            case CHAT -> "chat";
            case SERVER_METRICS -> "server:" + id + ":metrics";
            case SERVER_CONTAINERS -> "server:" + id + ":containers";
            case COMMAND -> "command:" + id;
        };
    }

    private static boolean validId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
