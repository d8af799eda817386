package io.chatops.protocol;


/** Hub to agent: kill the command with this id; its response then carries {@code cancelled}. */
public record CommandCancel(String id) implements Message {

    public CommandCancel {
        Require.text("id", id);
    }
}
