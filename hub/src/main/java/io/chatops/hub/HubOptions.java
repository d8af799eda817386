package io.chatops.hub;

import io.chatops.hub.metrics.MetricsRetention;
import io.chatops.protocol.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The hub's options, from {@code --name value} (or {@code --name=value}) flags, else
 * {@code CHATOPS_HUB_NAME} variables, else defaults. A bad value fails at start naming the option.
 *
 * @param dbUrl null for the embedded SQLite database under {@code dataDir}
 */
public record HubOptions(String listenHost, int listenPort, Path dataDir, String dbUrl, URI publicUrl, Path tlsCert,
        Path tlsKey, MetricsRetention.Retention retention, int metricsIntervalSeconds, URI slackApiUrl) {

    static final String USAGE = """
            Usage: java -jar chatops-hub.jar [options]
              --listen HOST:PORT   where to serve HTTP and the agents' WebSocket (default 127.0.0.1:8080)
              --data-dir DIR       the embedded database and the first admin password (default ./data)
              --db-url JDBC-URL    PostgreSQL instead: jdbc:postgresql://host/db?user=…&password=…
              --public-url URL     the address agents and browsers use, when not http(s)://LISTEN
              --tls-cert PEM       serve https and wss with this certificate chain …
              --tls-key PEM        … and this unencrypted PKCS#8 private key
              --keep-raw AGE       how long raw 5 s samples are kept, like 48h or 7d (default 48h)
              --keep-minutes AGE   how long minute averages and maxima are kept (default 30d)
              --keep-hours AGE     how long hour averages and maxima are kept (default 365d)
              --metrics-interval SECONDS  how often agents send a sample, 1 to 3600 (default 5);
                                   a server's own metrics_interval_seconds overrides it
              --slack-api-url URL  Slack's Web API (default https://slack.com/api); answers go only to
                                   Slack's hosts or this URL's
            Each also as CHATOPS_HUB_LISTEN, CHATOPS_HUB_DATA_DIR, …; CHATOPS_ADMIN_PASSWORD sets the
            first admin's password on an empty database.
            """;

    /** Thrown for a bad option; the message names it. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    public static HubOptions parse(String[] args, Map<String, String> env) throws Invalid {
        Map<String, String> given = new java.util.HashMap<>();
        for (String name : NAMES) {
            String value = env.get("CHATOPS_HUB_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value != null && !value.isBlank()) {
                given.put(name, value);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new Invalid("unexpected argument \"" + arg + "\" (options start with --)");
            }
            String body = arg.substring(2);
            int equals = body.indexOf('=');
            String name = equals < 0 ? body : body.substring(0, equals);
            if (!java.util.List.of(NAMES).contains(name)) {
                throw new Invalid("unknown option --" + name);
            }
            String value;
            if (equals >= 0) {
                value = body.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new Invalid("option --" + name + " needs a value");
            }
            given.put(name, value);
        }

        String listen = given.getOrDefault("listen", "127.0.0.1:8080");
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 0 || port > 65_535) {
            throw new Invalid("invalid --listen \"" + listen + "\": must be HOST:PORT, like 127.0.0.1:8080 or 0.0.0.0:8080");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");

        String dbUrl = given.get("db-url");
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql://") && !dbUrl.startsWith("jdbc:sqlite:")) {
            throw new Invalid("invalid --db-url: must start with jdbc:postgresql:// (or jdbc:sqlite:)");
        }

        Path tlsCert = file(given, "tls-cert");
        Path tlsKey = file(given, "tls-key");
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new Invalid("--tls-cert and --tls-key go together: give both, or neither for plain http");
        }

        URI publicUrl;
        String publicText = given.getOrDefault("public-url", (tlsCert == null ? "http://" : "https://") + listen);
        try {
            publicUrl = URI.create(publicText.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid --public-url \"" + publicText + "\": not a URL");
        }
        if (!("http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme())) || publicUrl.getHost() == null) {
            throw new Invalid("invalid --public-url \"" + publicText + "\": must be http(s)://host[:port][/prefix]");
        }
        String slackText = given.getOrDefault("slack-api-url", "https://slack.com/api");
        URI slackApi;
        try {
            slackApi = URI.create(slackText.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid --slack-api-url \"" + slackText + "\": not a URL");
        }
        if (!("http".equals(slackApi.getScheme()) || "https".equals(slackApi.getScheme())) || slackApi.getHost() == null) {
            throw new Invalid("invalid --slack-api-url \"" + slackText + "\": must be http(s)://host[:port]/path");
        }
        return new HubOptions(host, port, Path.of(given.getOrDefault("data-dir", "./data")).toAbsolutePath().normalize(),
                dbUrl, publicUrl, tlsCert, tlsKey, retention(given), interval(given), slackApi);
    }

    private static final String[] NAMES = {"listen", "data-dir", "db-url", "public-url", "tls-cert", "tls-key", "keep-raw",
        "keep-minutes", "keep-hours", "metrics-interval", "slack-api-url"};

    /** PROTOCOL.md's default: fine enough to see a spike, coarse enough for thousands of agents. */
    static final int DEFAULT_METRICS_INTERVAL_SECONDS = 5;

    private static int interval(Map<String, String> given) throws Invalid {
        String value = given.get("metrics-interval");
        if (value == null) {
            return DEFAULT_METRICS_INTERVAL_SECONDS;
        }
        if (value.matches("[0-9]{1,4}")) {
            int seconds = Integer.parseInt(value);
            if (seconds >= Settings.MIN_INTERVAL_SECONDS && seconds <= Settings.MAX_INTERVAL_SECONDS) {
                return seconds;
            }
        }
        throw new Invalid("invalid --metrics-interval \"" + value + "\": must be a whole number of seconds from "
                + Settings.MIN_INTERVAL_SECONDS + " to " + Settings.MAX_INTERVAL_SECONDS);
    }

    private static MetricsRetention.Retention retention(Map<String, String> given) throws Invalid {
        String raw = given.getOrDefault("keep-raw", "48h");
        String minutes = given.getOrDefault("keep-minutes", "30d");
        String hours = given.getOrDefault("keep-hours", "365d");
        MetricsRetention.Retention retention = new MetricsRetention.Retention(age("keep-raw", raw), age("keep-minutes", minutes),
                age("keep-hours", hours));
        // A coarser tier kept for less time than a finer one would leave holes in long charts.
        if (retention.minutes().compareTo(retention.raw()) < 0) {
            throw new Invalid("--keep-minutes " + minutes + " must not be shorter than --keep-raw " + raw);
        }
        if (retention.hours().compareTo(retention.minutes()) < 0) {
            throw new Invalid("--keep-hours " + hours + " must not be shorter than --keep-minutes " + minutes);
        }
        return retention;
    }

    /** An age in whole hours or days, like 48h or 30d: at least an hour, at most ten years. */
    private static Duration age(String name, String value) throws Invalid {
        java.util.regex.Matcher age = java.util.regex.Pattern.compile("([0-9]{1,6})([hd])").matcher(value);
        if (age.matches()) {
            long count = Long.parseLong(age.group(1));
            Duration parsed = "h".equals(age.group(2)) ? Duration.ofHours(count) : Duration.ofDays(count);
            if (parsed.compareTo(Duration.ofHours(1)) >= 0 && parsed.compareTo(Duration.ofDays(3_650)) <= 0) {
                return parsed;
            }
        }
        throw new Invalid("invalid --" + name + " \"" + value + "\": must be hours or days from 1h to 3650d, like 48h or 30d");
    }

    private static Path file(Map<String, String> given, String name) throws Invalid {
        String value = given.get(name);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value).toAbsolutePath();
        if (!java.nio.file.Files.isReadable(path)) {
            throw new Invalid("invalid --" + name + " \"" + value + "\": no readable file there");
        }
        return path;
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /** Never shows a database password that the URL may carry. */
    @Override
    public String toString() {
        return "listen " + listenHost + ":" + listenPort + ", data " + dataDir + ", database "
                + (dbUrl == null ? "SQLite" : dbUrl.replaceAll("password=[^&]*", "password=…")) + ", public " + publicUrl
                + (tls() ? ", TLS " + tlsCert : "") + ", keep raw " + retention.raw() + ", minutes " + retention.minutes()
                + ", hours " + retention.hours() + ", metrics every " + metricsIntervalSeconds + " s";
    }
}
