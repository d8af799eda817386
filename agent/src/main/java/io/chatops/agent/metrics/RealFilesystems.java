package io.chatops.agent.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the filesystems worth reporting from the mount table: no pseudo filesystems, no
 * container layers, and each filesystem once even when it is bind-mounted in several places.
 */
final class RealFilesystems {
    /** Kernel and container plumbing, which hold no user data or mirror another filesystem. */
    private static final Set<String> PSEUDO = Set.of(
            "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "overlay", "aufs",
            "squashfs", "autofs", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "configfs",
            "fusectl", "hugetlbfs", "binfmt_misc", "nsfs", "rpc_pipefs", "efivarfs", "selinuxfs", "nfsd",
            "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse", "iso9660", "shm", "none");

    private RealFilesystems() {
    }

    static boolean isPseudo(String fsType) {
        return PSEUDO.contains(fsType);
    }

    /**
     * Real filesystems, one mount each: the one that mounts the filesystem's root, else the one
     * with the shortest path; in the order of the mount table.
     */
    static List<Mount> select(List<Mount> mounts) {
        Map<String, Mount> byDevice = new LinkedHashMap<>();
        for (Mount mount : mounts) {
            if (isPseudo(mount.fsType())) {
                continue;
            }
            byDevice.merge(mount.deviceId(), mount, RealFilesystems::better);
        }
        List<Mount> chosen = new ArrayList<>(byDevice.size());
        for (Mount mount : mounts) {
            if (byDevice.get(mount.deviceId()) == mount) {
                chosen.add(mount);
            }
        }
        return chosen;
    }

    private static Mount better(Mount kept, Mount other) {
        boolean keptIsRoot = kept.root().equals("/");
        boolean otherIsRoot = other.root().equals("/");
        if (keptIsRoot != otherIsRoot) {
            return keptIsRoot ? kept : other;
        }
        return other.mountPoint().length() < kept.mountPoint().length() ? other : kept;
    }
}
