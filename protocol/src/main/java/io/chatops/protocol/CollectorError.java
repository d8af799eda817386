package io.chatops.protocol;


/** A collector that failed for this sample, and why; the other collectors still report. */
public record CollectorError(
        String collector,
        String message) {

    public CollectorError {
        Require.text("collector", collector);
        Require.text("message", message);
    }
}
