package io.chatops.agent.docker;

import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.PortMapping;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns Docker's JSON into the protocol's {@link ContainerInfo}. */
final class ContainerMapper {
    private ContainerMapper() {
    }

    /** One entry of {@code GET /containers/json}, with figures the list does not carry. */
    static ContainerInfo fromList(JsonValue c, int restartCount, Double cpuPercent, Long memoryBytes) {
        String status = c.path("Status").asText("");
        String state = c.path("State").asText("unknown");
        boolean running = state.equals("running");
        return new ContainerInfo(
                shortId(c.path("Id").asText()),
                name(c.path("Names").path(0).asText(c.path("Id").asText())),
                c.path("Image").asText(""),
                state.isEmpty() ? "unknown" : state,
                status,
                health(status),
                c.has("Created") ? Instant.ofEpochSecond(c.path("Created").asLong(0)) : null,
                restartCount,
                ports(c.path("Ports")),
                running ? cpuPercent : null,
                running ? memoryBytes : null);
    }

    /** The health part of a status such as {@code Up 3 hours (healthy)}; null without a health check. */
    static String health(String status) {
        if (status.endsWith("(healthy)")) {
            return "healthy";
        }
        if (status.endsWith("(unhealthy)")) {
            return "unhealthy";
        }
        if (status.endsWith("(health: starting)")) {
            return "starting";
        }
        return null;
    }

    static List<PortMapping> ports(JsonValue ports) {
        // Docker lists a published port once per host address (0.0.0.0 and ::); report it once.
        Set<PortMapping> unique = new LinkedHashSet<>();
        for (JsonValue port : ports) {
            int privatePort = port.path("PrivatePort").asInt(0);
            if (privatePort < 1 || privatePort > 65_535) {
                continue;
            }
            Integer publicPort = port.has("PublicPort") ? port.path("PublicPort").asInt(0) : null;
            unique.add(new PortMapping(privatePort, publicPort == null || publicPort < 1 ? null : publicPort,
                    port.path("Type").asText("tcp")));
        }
        return new ArrayList<>(unique);
    }

    static Instant createdFromInspect(JsonValue inspect) {
        try {
            return Instant.parse(inspect.path("Created").asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String name(String raw) {
        return raw.startsWith("/") ? raw.substring(1) : raw;
    }
}
