package io.chatops.agent.log;

/** How much the agent says, from only errors to everything. */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG
}
