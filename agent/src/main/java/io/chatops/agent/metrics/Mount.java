package io.chatops.agent.metrics;

/**
 * One line of /proc/self/mountinfo.
 *
 * @param deviceId   {@code major:minor} of the filesystem; bind mounts of one filesystem share it
 * @param root       the directory of the filesystem that is mounted ({@code /} unless a bind mount)
 * @param mountPoint where it is mounted, unescaped
 */
record Mount(String deviceId, String root, String mountPoint, String fsType, String source) {
}
