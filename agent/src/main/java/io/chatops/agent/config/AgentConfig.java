package io.chatops.agent.config;

import io.chatops.agent.log.LogLevel;
import io.chatops.protocol.ApiKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the agent was told, validated once at start-up by {@link ConfigLoader}.
 *
 * @param hubUri       the hub's WebSocket endpoint, derived from {@code -api-url}
 * @param execAllow    when present, only commands matching it as a whole run
 * @param bufferSamples how many unacknowledged samples are kept for replay
 */
public record AgentConfig(
        String apiKey,
        URI apiUrl,
        URI hubUri,
        Duration interval,
        Path stateDir,
        Path dockerSocket,
        boolean execEnabled,
        boolean dockerControlEnabled,
        Optional<Pattern> execAllow,
        int bufferSamples,
        LogLevel logLevel) {

    /** One line for the start-up log; the key shows only its first characters. */
    public String describe() {
        return "hub " + apiUrl + ", key " + ApiKeys.redact(apiKey) + ", every " + interval.toSeconds() + " s, state "
                + stateDir + ", docker " + dockerSocket + (dockerControlEnabled ? "" : " (read-only)") + ", exec "
                + (execEnabled ? execAllow.map(p -> "allowed if matching " + p.pattern()).orElse("enabled") : "disabled")
                + ", buffer " + bufferSamples + " samples";
    }

    /** Never prints the key: configs get logged. */
    @Override
    public String toString() {
        return "AgentConfig[" + describe() + "]";
    }
}
