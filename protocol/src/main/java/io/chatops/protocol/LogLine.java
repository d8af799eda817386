package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One line of container output; TTY containers only have {@code stdout}. */
public record LogLine(
        @JsonProperty(required = true) OutputStreamName stream,
        Instant timestamp,
        @JsonProperty(required = true) String text) {

    public LogLine {
        Require.present("stream", stream);
        Require.present("text", text);
    }
}
