package io.chatops.protocol;

import java.time.Instant;

/** One line of container output; TTY containers only have {@code stdout}. */
public record LogLine(
        OutputStreamName stream,
        Instant timestamp,
        String text) {

    public LogLine {
        Require.present("stream", stream);
        Require.present("text", text);
    }
}
