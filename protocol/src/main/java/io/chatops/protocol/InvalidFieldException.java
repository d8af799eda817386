package io.chatops.protocol;

/**
 * Thrown by a message record's constructor when a field breaks the protocol's rules. The codec
 * turns it into a {@link ProtocolException} whose message carries the field's full path
 * ({@code disks[0].total_bytes}); code that builds records directly sees an ordinary
 * {@link IllegalArgumentException}.
 */
final class InvalidFieldException extends IllegalArgumentException {
    private final String field;
    private final String problem;

    InvalidFieldException(String field, String problem) {
        super("field '" + field + "' " + problem);
        this.field = field;
        this.problem = problem;
    }

    String field() {
        return field;
    }

    String problem() {
        return problem;
    }
}
