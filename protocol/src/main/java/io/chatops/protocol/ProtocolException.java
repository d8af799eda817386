package io.chatops.protocol;

/**
 * A frame that is not a valid message. The message names the field and the problem
 * ({@code field 'seq' must be a positive integer}); {@link #code()} is the protocol's error code
 * and {@link #messageId()} the frame's {@code id} when it could be read, so that the receiver can
 * answer with {@link ErrorMessage#of(ProtocolException)} and keep the link up.
 */
public class ProtocolException extends Exception {
    public static final String BAD_MESSAGE = "bad_message";

    private final String code;
    private final String messageId;

    public ProtocolException(String message, String messageId) {
        this(BAD_MESSAGE, message, messageId);
    }

    protected ProtocolException(String code, String message, String messageId) {
        super(message, null, false, false);
        this.code = code;
        this.messageId = messageId;
    }

    public String code() {
        return code;
    }

    /** The {@code id} field of the refused frame, or null when it had none or it was unreadable. */
    public String messageId() {
        return messageId;
    }
}
