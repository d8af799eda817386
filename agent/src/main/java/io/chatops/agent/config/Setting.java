package io.chatops.agent.config;

import io.chatops.protocol.ApiKeys;

/** A raw value and where it came from, so that an error names the setting as the user wrote it. */
record Setting(Option option, String value, String source) {

    static Setting fromFlag(Option option, String value) {
        return new Setting(option, value, "-" + option.flagName());
    }

    static Setting fromEnv(Option option, String value) {
        return new Setting(option, value, option.envName());
    }

    static Setting fromFile(Option option, String value, String file) {
        return new Setting(option, value, option.fileKey() + " in " + file);
    }

    ConfigException invalid(String problem) {
        return new ConfigException("invalid " + source + " \"" + shown() + "\": " + problem);
    }

    /** API keys are secrets: an error shows their first characters only. */
    private String shown() {
        return option == Option.API_KEY ? ApiKeys.redact(value) : value;
    }
}
