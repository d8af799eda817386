package io.chatops.protocol;


/** Hub to agent: the handshake failed; the hub closes the link with 1008 right after. */
public record AuthError(
        Code code,
        String message) implements Message {

    public AuthError {
        Require.present("code", code);
        Require.text("message", message);
    }

    /** Why the handshake failed. */
    public enum Code {
        INVALID_KEY,
        EXPIRED_KEY,
        UNSUPPORTED_PROTOCOL,
        AUTH_TIMEOUT,
        BAD_MESSAGE,
        /** Another agent, on another host, is connected with the same key: a cloned machine or a copied key. */
        DUPLICATE_AGENT;

        /** The agent retries these slowly: no new key will appear by itself. */
        public boolean isKeyProblem() {
            return this == INVALID_KEY || this == EXPIRED_KEY;
        }
    }
}
