package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Hub to agent: kill the command with this id; its response then carries {@code cancelled}. */
public record CommandCancel(@JsonProperty(required = true) String id) implements Message {

    public CommandCancel {
        Require.text("id", id);
    }
}
