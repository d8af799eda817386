package io.chatops.agent.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent's log: one line per event on standard error, which systemd's journal keeps. A logging
 * framework would cost the agent more memory than everything it logs; this is all it needs.
 * Never pass a secret: API keys go through {@link io.chatops.protocol.ApiKeys#redact}.
 */
public final class Log {
    private static volatile LogLevel level = LogLevel.INFO;
    private static final PrintStream OUT = System.err;

    private final String component;

    private Log(String component) {
        this.component = component;
    }

    public static Log named(String component) {
        return new Log(component);
    }

    public static void setLevel(LogLevel newLevel) {
        level = newLevel;
    }

    public boolean isDebug() {
        return level.compareTo(LogLevel.DEBUG) >= 0;
    }

    public void error(String message, Object... args) {
        write(LogLevel.ERROR, message, args);
    }

    public void warn(String message, Object... args) {
        write(LogLevel.WARN, message, args);
    }

    public void info(String message, Object... args) {
        write(LogLevel.INFO, message, args);
    }

    public void debug(String message, Object... args) {
        write(LogLevel.DEBUG, message, args);
    }

    private void write(LogLevel at, String message, Object... args) {
        if (at.compareTo(level) > 0) {
            return;
        }
        String text = args.length == 0 ? message : String.format(message, args);
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + at + " " + component + ": " + text;
        synchronized (OUT) {
            OUT.println(line);
        }
    }
}
