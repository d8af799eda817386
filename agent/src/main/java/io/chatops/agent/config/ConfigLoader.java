package io.chatops.agent.config;

import io.chatops.agent.dbus.DBusConnection;
import io.chatops.protocol.AgentEndpoint;
import com.fasterxml.jackson.core.JacksonException;
import io.chatops.agent.log.LogLevel;
import io.chatops.protocol.JsonTree;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds the one {@link AgentConfig} from flags, environment and config file, in that order of
 * precedence, then defaults. Every value is checked here, so a bad one stops the agent at start
 * with a message naming the setting and the value, rather than failing hours later.
 */
public final class ConfigLoader {
    static final String DEFAULT_API_URL = "http://localhost:8080";
    static final int MAX_API_URLS = 16;
    static final int DEFAULT_INTERVAL_SECONDS = 5;
    static final int MAX_INTERVAL_SECONDS = 3_600;
    /** An hour of samples at the default interval. */
    static final int DEFAULT_BUFFER_SAMPLES = 720;
    /** About 15 MB of samples: the buffer must fit the agent's small heap. */
    static final int MAX_BUFFER_SAMPLES = 10_000;
    static final String DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";
    private static final List<String> HUB_SCHEMES = List.of("http", "https", "ws", "wss");
    /** A config file is a few hundred bytes; anything large is a mistake. */
    private static final long MAX_CONFIG_FILE_BYTES = 64 * 1024;

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public AgentConfig load(CommandLine cli) throws ConfigException {
        Map<Option, Setting> settings = new EnumMap<>(Option.class);
        Setting configFile = first(cli.get(Option.CONFIG), envSetting(Option.CONFIG));
        if (configFile != null) {
            settings.putAll(readFile(configFile));
        }
        for (Option option : Option.values()) {
            Setting fromEnv = envSetting(option);
            if (fromEnv != null && !option.isCommandOnly()) {
                settings.put(option, fromEnv);
            }
            if (cli.get(option) != null) {
                settings.put(option, cli.get(option));
            }
        }

        Setting apiKey = settings.get(Option.API_KEY);
        if (apiKey == null || apiKey.value().isBlank()) {
            throw new ConfigException("missing API key: pass -api-key KEY, set CHATOPS_API_KEY, or put api_key in the -config file");
        }
        if (hasSpaceOrControl(apiKey.value())) {
            throw apiKey.invalid("must not contain spaces or control characters");
        }
        List<URI> apiUrls = apiUrls(settings.get(Option.API_URL));
        return new AgentConfig(
                apiKey.value(),
                apiUrls,
                hubUris(apiUrls),
                Duration.ofSeconds(integer(settings.get(Option.INTERVAL), DEFAULT_INTERVAL_SECONDS, 1, MAX_INTERVAL_SECONDS)),
                path(settings.get(Option.STATE_DIR), defaultStateDir()),
                path(settings.get(Option.DOCKER_SOCKET), DEFAULT_DOCKER_SOCKET),
                !bool(settings.get(Option.DISABLE_EXEC)),
                !bool(settings.get(Option.DISABLE_DOCKER_CONTROL)),
                !bool(settings.get(Option.DISABLE_SERVICES)),
                systemBus(env.get("DBUS_SYSTEM_BUS_ADDRESS")),
                pattern(settings.get(Option.EXEC_ALLOW)),
                integer(settings.get(Option.BUFFER), DEFAULT_BUFFER_SAMPLES, 1, MAX_BUFFER_SAMPLES),
                logLevel(settings.get(Option.LOG_LEVEL)));
    }

    /** Where systemd answers: the system bus, which {@code DBUS_SYSTEM_BUS_ADDRESS} may move, as it does for systemctl. */
    private static Path systemBus(String address) throws ConfigException {
        try {
            return DBusConnection.systemBus(address);
        } catch (IOException e) {
            throw new ConfigException("DBUS_SYSTEM_BUS_ADDRESS: " + e.getMessage());
        }
    }

    private Setting envSetting(Option option) {
        String value = env.get(option.envName());
        return value == null || value.isEmpty() ? null : Setting.fromEnv(option, value);
    }

    private static Map<Option, Setting> readFile(Setting file) throws ConfigException {
        String name = file.value();
        Object root;
        try {
            Path path = Path.of(name);
            if (Files.size(path) > MAX_CONFIG_FILE_BYTES) {
                throw file.invalid("the file is larger than " + MAX_CONFIG_FILE_BYTES + " bytes");
            }
            root = JsonTree.parse(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw file.invalid("no such file");
        } catch (JacksonException e) {
            throw file.invalid("not valid JSON: " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException | InvalidPathException e) {
            throw file.invalid("cannot read it: " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw file.invalid("must hold a JSON object such as {\"api_key\": \"…\"}");
        }
        Map<Option, Setting> settings = new EnumMap<>(Option.class);
        for (Map.Entry<?, ?> field : ((Map<?, ?>) root).entrySet()) {
            String key = String.valueOf(field.getKey());
            Option option = byFileKey(key);
            if (option == null || option.isCommandOnly()) {
                throw file.invalid("unknown key \"" + key + "\"");
            }
            Object value = field.getValue();
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw file.invalid("key \"" + key + "\" must be a string, number or boolean");
            }
            settings.put(option, Setting.fromFile(option, value.toString(), name));
        }
        return settings;
    }

    /** One URL, or several separated by commas: the agent tries them in turn. */
    private static List<URI> apiUrls(Setting setting) throws ConfigException {
        String text = setting == null ? DEFAULT_API_URL : setting.value();
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_API_URLS) {
            throw invalid(setting, text, "at most " + MAX_API_URLS + " hub URLs");
        }
        List<URI> urls = new ArrayList<>();
        for (String part : parts) {
            String url = part.strip();
            String problem = apiUrlProblem(url);
            if (problem != null) {
                // Of several, say which.
                throw invalid(setting, text, parts.length == 1 ? problem : "\"" + url + "\" " + problem);
            }
            urls.add(URI.create(url));
        }
        return List.copyOf(urls);
    }

    /** What is wrong with {@code text} as a hub URL; null when nothing is. */
    private static String apiUrlProblem(String text) {
        String rule = "must be http(s):// or ws(s):// with a host, like https://hub.example.com";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return rule;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!HUB_SCHEMES.contains(scheme) || uri.getHost() == null) {
            return rule;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return "must not carry a query, a fragment or credentials";
        }
        return null;
    }

    private static List<URI> hubUris(List<URI> apiUrls) {
        List<URI> hubs = new ArrayList<>();
        for (URI apiUrl : apiUrls) {
            hubs.add(hubUri(apiUrl));
        }
        return List.copyOf(hubs);
    }

    private static boolean hasSpaceOrControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) <= ' ' || text.charAt(i) == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** ws(s)://host[:port][/prefix]/api/v1/agents/ws, keeping a reverse proxy's path prefix. */
    static URI hubUri(URI apiUrl) {
        String scheme = apiUrl.getScheme().toLowerCase(Locale.ROOT);
        String wsScheme = scheme.equals("https") || scheme.equals("wss") ? "wss" : "ws";
        String prefix = apiUrl.getRawPath() == null ? "" : apiUrl.getRawPath();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return URI.create(wsScheme + "://" + apiUrl.getRawAuthority() + prefix + AgentEndpoint.PATH);
    }

    private static int integer(Setting setting, int fallback, int min, int max) throws ConfigException {
        if (setting == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(setting.value().trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw setting.invalid("must be a whole number from " + min + " to " + max);
    }

    private static boolean bool(Setting setting) throws ConfigException {
        if (setting == null) {
            return false;
        }
        switch (setting.value().trim().toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "yes":
                return true;
            case "false": case "0": case "no":
                return false;
            default:
                throw setting.invalid("must be true or false");
        }
    }

    private static Path path(Setting setting, String fallback) throws ConfigException {
        String text = setting == null ? fallback : setting.value();
        try {
            Path path = Path.of(text);
            if (setting != null && text.isBlank()) {
                throw setting.invalid("must not be empty");
            }
            return path.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(setting, text, "not a valid path");
        }
    }

    private static Optional<Pattern> pattern(Setting setting) throws ConfigException {
        if (setting == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(setting.value()));
        } catch (PatternSyntaxException e) {
            throw setting.invalid("not a regular expression: " + e.getDescription());
        }
    }

    private static LogLevel logLevel(Setting setting) throws ConfigException {
        if (setting == null) {
            return LogLevel.INFO;
        }
        try {
            return LogLevel.valueOf(setting.value().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw setting.invalid("must be error, warn, info or debug");
        }
    }

    private String defaultStateDir() {
        String systemd = env.get("STATE_DIRECTORY"); // set by systemd's StateDirectory=
        if (systemd != null && !systemd.isBlank()) {
            return systemd.split(":")[0];
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return "/var/lib/chatops-agent";
        }
        return env.getOrDefault("HOME", System.getProperty("user.home")) + "/.local/state/chatops-agent";
    }

    private static ConfigException invalid(Setting setting, String value, String problem) {
        return setting == null
                ? new ConfigException("invalid default \"" + value + "\": " + problem)
                : setting.invalid(problem);
    }

    private static Setting first(Setting a, Setting b) {
        return a != null ? a : b;
    }

    private static Option byFileKey(String key) {
        for (Option option : Option.values()) {
            if (option.fileKey().equals(key)) {
                return option;
            }
        }
        return null;
    }
}
