package io.chatops.agent.config;

import java.util.Locale;

/**
 * Every setting of the agent, with the three names it goes by: the flag ({@code -api-key}, also
 * {@code --api-key}), the environment variable ({@code CHATOPS_API_KEY}) and the config file key
 * ({@code api_key}). The order here is the order of the usage text.
 */
public enum Option {
    API_KEY("KEY", "the server's API key, shown by the hub when the server is added (required)"),
    API_URL("URL", "the hub, http(s)://host[:port][/prefix] or ws(s)://… (default http://localhost:8080);"
            + " several, comma-separated, are tried in turn"),
    CONFIG("FILE", "a JSON file with any of these options, keyed api_key, api_url, …"),
    INTERVAL("SECONDS", "seconds between samples, 1 to 3600 (default 5)"),
    STATE_DIR("DIR", "where the agent keeps its sample counter (default $STATE_DIRECTORY, or /var/lib/chatops-agent as root, else ~/.local/state/chatops-agent)"),
    DOCKER_SOCKET("PATH", "the Docker Engine socket (default /var/run/docker.sock)"),
    DISABLE_EXEC(null, "refuse every remote command"),
    DISABLE_DOCKER_CONTROL(null, "allow listing, inspecting and reading logs of containers, refuse start/stop/restart"),
    DISABLE_SERVICES(null, "do not report the state of systemd's services"),
    EXEC_ALLOW("REGEX", "run only commands that match this regular expression as a whole"),
    BUFFER("SAMPLES", "unacknowledged samples kept for resending after an outage, 1 to 10000 (default 720: an hour)"),
    LOG_LEVEL("LEVEL", "error, warn, info or debug (default info)"),
    VERSION(null, "print the version and exit"),
    HELP(null, "print this help and exit");

    private final String valueName;
    private final String description;

    Option(String valueName, String description) {
        this.valueName = valueName;
        this.description = description;
    }

    /** The option's name in flags: {@code api-key}. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String envName() {
        return "CHATOPS_" + name();
    }

    public String fileKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A switch ({@code -disable-exec}) rather than an option that takes a value. */
    public boolean isSwitch() {
        return valueName == null;
    }

    /** Only on the command line: asking for the version from a file makes no sense. */
    boolean isCommandOnly() {
        return this == VERSION || this == HELP || this == CONFIG;
    }

    static String usage() {
        StringBuilder text = new StringBuilder("Usage: chatops-agent -api-key KEY [options]\n\nOptions:\n");
        for (Option option : values()) {
            String flag = "  -" + option.flagName() + (option.isSwitch() ? "" : " " + option.valueName);
            text.append(String.format("%-32s %s%n", flag, option.description));
        }
        text.append("\nEvery option can also be given as --name, as CHATOPS_NAME in the environment (CHATOPS_API_KEY)\n")
                .append("and in the config file; a flag wins over the environment, which wins over the file.\n");
        return text.toString();
    }
}
