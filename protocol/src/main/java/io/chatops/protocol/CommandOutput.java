package io.chatops.protocol;


/** Agent to hub: output of a running command as it arrives (at most every 100 ms per stream). */
public record CommandOutput(
        String id,
        OutputStreamName stream,
        String data) implements Message {

    public CommandOutput {
        Require.text("id", id);
        Require.present("stream", stream);
        Require.present("data", data);
    }
}
