package io.chatops.agent.config;

/** A setting that cannot be used; the message names the setting and the value. Exit code 2. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
