package io.chatops.agent.metrics;

import java.nio.file.Path;

/**
 * The root under which the agent finds {@code /proc}, {@code /etc} and the mount points: {@code /}
 * on a server, a fixture tree in tests, or the host's root mounted into a container.
 */
public record ProcFs(Path root) {

    public static ProcFs host() {
        return new ProcFs(Path.of("/"));
    }

    /** A path below the root: {@code resolve("proc/stat")}. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** Where a mount point named in mountinfo ({@code /var}) is under this root. */
    Path mountPoint(String mount) {
        return root.resolve(mount.substring(1));
    }
}
