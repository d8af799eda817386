package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Agent to hub: output of a running command as it arrives (at most every 100 ms per stream). */
public record CommandOutput(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) OutputStreamName stream,
        @JsonProperty(required = true) String data) implements Message {

    public CommandOutput {
        Require.text("id", id);
        Require.present("stream", stream);
        Require.present("data", data);
    }
}
