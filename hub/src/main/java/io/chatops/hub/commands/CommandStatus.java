package io.chatops.hub.commands;

import java.util.Locale;

/** Where a command stands; everything but {@link #RUNNING} is final. */
public enum CommandStatus {
    RUNNING,
    /** Exit code 0. */
    SUCCEEDED,
    /** Ran to its end with another exit code. */
    FAILED,
    /** Killed by the agent at its timeout. */
    TIMED_OUT,
    /** Killed on an operator's request. */
    CANCELLED,
    /** Did not run to its end: refused by the agent, not started, or no answer from it. */
    ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CommandStatus parse(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
