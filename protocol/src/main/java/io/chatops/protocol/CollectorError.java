package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A collector that failed for this sample, and why; the other collectors still report. */
public record CollectorError(
        @JsonProperty(required = true) String collector,
        @JsonProperty(required = true) String message) {

    public CollectorError {
        Require.text("collector", collector);
        Require.text("message", message);
    }
}
