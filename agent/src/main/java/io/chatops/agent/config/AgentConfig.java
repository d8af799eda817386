package io.chatops.agent.config;

import io.chatops.agent.log.LogLevel;
import io.chatops.protocol.ApiKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Everything the agent was told, validated once at start-up by {@link ConfigLoader}.
 *
 * @param apiUrls      the hubs, as given in {@code -api-url} (several for several hub instances without a load balancer)
 * @param hubUris      each hub's WebSocket endpoint, derived from its URL, in the same order
 * @param execAllow    when present, only commands matching it as a whole run
 * @param bufferSamples how many unacknowledged samples are kept for replay
 */
public record AgentConfig(
        String apiKey,
        List<URI> apiUrls,
        List<URI> hubUris,
        Duration interval,
        Path stateDir,
        Path dockerSocket,
        boolean execEnabled,
        boolean dockerControlEnabled,
        boolean servicesEnabled,
        Path systemBus,
        Optional<Pattern> execAllow,
        int bufferSamples,
        LogLevel logLevel) {

    /** One line for the start-up log; the key shows only its first characters. */
    public String describe() {
        StringJoiner hubs = new StringJoiner(", then ");
        for (URI apiUrl : apiUrls) {
            hubs.add(apiUrl.toString());
        }
        return "hub " + hubs + ", key " + ApiKeys.redact(apiKey)
                + ", every " + interval.toSeconds() + " s, state " + stateDir + ", docker " + dockerSocket
                + (dockerControlEnabled ? "" : " (read-only)") + ", exec "
                + (execEnabled ? execAllow.map(p -> "allowed if matching " + p.pattern()).orElse("enabled") : "disabled")
                + ", services " + (servicesEnabled ? "from " + systemBus : "not reported") + ", buffer " + bufferSamples + " samples";
    }

    /** Never prints the key: configs get logged. */
    @Override
    public String toString() {
        return "AgentConfig[" + describe() + "]";
    }
}
