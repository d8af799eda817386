package io.chatops.protocol;

import java.time.Instant;
import java.util.List;

/** Agent to hub: every container on the server, after each Docker event and at least every 30 s. */
public record Containers(
        Instant timestamp,
        List<ContainerInfo> containers) implements Message {

    public Containers {
        Require.present("timestamp", timestamp);
        containers = Require.list("containers", containers);
    }
}
