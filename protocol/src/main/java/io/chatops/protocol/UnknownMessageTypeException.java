package io.chatops.protocol;

/**
 * A well-formed frame whose {@code type} this version does not know. It is not an error of the
 * peer: a newer peer may send types added within protocol version 1, so receivers answer with
 * {@code unknown_type} and carry on.
 */
public final class UnknownMessageTypeException extends ProtocolException {
    public static final String UNKNOWN_TYPE = "unknown_type";

    private final String type;

    UnknownMessageTypeException(String type, String messageId) {
        super(UNKNOWN_TYPE, "unknown message type '" + type + "'", messageId);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
