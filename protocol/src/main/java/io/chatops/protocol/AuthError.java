package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Hub to agent: the handshake failed; the hub closes the link with 1008 right after. */
public record AuthError(
        @JsonProperty(required = true) Code code,
        @JsonProperty(required = true) String message) implements Message {

    public AuthError {
        Require.present("code", code);
        Require.text("message", message);
    }

    /** Why the handshake failed. */
    public enum Code {
        @JsonProperty("invalid_key") INVALID_KEY,
        @JsonProperty("expired_key") EXPIRED_KEY,
        @JsonProperty("unsupported_protocol") UNSUPPORTED_PROTOCOL,
        @JsonProperty("auth_timeout") AUTH_TIMEOUT,
        @JsonProperty("bad_message") BAD_MESSAGE;

        /** The agent retries these slowly: no new key will appear by itself. */
        public boolean isKeyProblem() {
            return this == INVALID_KEY || this == EXPIRED_KEY;
        }
    }
}
