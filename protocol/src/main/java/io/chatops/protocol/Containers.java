package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** Agent to hub: every container on the server, after each Docker event and at least every 30 s. */
public record Containers(
        @JsonProperty(required = true) Instant timestamp,
        @JsonProperty(required = true) List<ContainerInfo> containers) implements Message {

    public Containers {
        Require.present("timestamp", timestamp);
        containers = Require.list("containers", containers);
    }
}
