package io.chatops.agent.metrics;

import io.chatops.protocol.DiskIo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Throughput, operations and busy time of each block device over the last interval, from two
 * readings of /proc/diskstats (the first taken on construction, so the first sample covers a real
 * interval). Devices are chosen as node_exporter does: partitions are left out (their disk counts
 * their I/O, and carries their filesystems), and so are RAM disks, zram, loop and floppy devices
 * unless a real filesystem is mounted from them. Each device names the mount points of the real
 * filesystems it carries, so that space and I/O can be shown together. A device whose counters
 * went down (replaced, or reset) has no rate for that interval. Runs after the disk collector,
 * whose reading of the mount table it uses.
 */
final class DiskIoCollector implements Collector, DiskStatsParser.Sink {
    private static final int SECTOR_BYTES = 512; // diskstats counts 512-byte sectors whatever the device's own size
    private static final String[] VIRTUAL = {"loop", "ram", "zram", "fd"};
    /** Devices per sample at most (a host with thousands of device-mapper volumes): the first ones, in the kernel's order. */
    static final int MAX_DEVICES = 128;

    private final ProcFile diskstats;
    private final MountTable mounts;
    private final LongSupplier nanoTime;
    private Device[] previous = new Device[0];
    private int previousCount;
    private long previousNanos;
    private Device[] current = new Device[0];
    private boolean namesChanged;
    /** Per device of the last reading: the mount points to report it with, or null to leave it out. */
    private List<List<String>> plan = List.of();
    private List<Mount> plannedFor;

    /** One device's counters in one reading; the objects are reused from reading to reading. */
    private static final class Device {
        String name;
        long major;
        long minor;
        long reads;
        long sectorsRead;
        long writes;
        long sectorsWritten;
        long busyMillis;

        boolean wentDownSince(Device before) {
            return reads < before.reads || sectorsRead < before.sectorsRead || writes < before.writes
                    || sectorsWritten < before.sectorsWritten || busyMillis < before.busyMillis;
        }
    }

    DiskIoCollector(ProcFs fs, MountTable mounts, LongSupplier nanoTime) {
        this.diskstats = new ProcFile(fs.resolve("proc/diskstats"));
        this.mounts = mounts;
        this.nanoTime = nanoTime;
        try {
            read();
        } catch (IOException | RuntimeException e) {
            previousCount = 0; // the first sample then reports the error, and the one after it the rates
        }
    }

    @Override
    public String name() {
        return "disk_io";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        long sinceNanos = previousNanos;
        int beforeCount = previousCount;
        Device[] before = previous;
        int count = read();
        if (namesChanged || count != beforeCount || mounts.real() != plannedFor) {
            plan = plan(count);
            plannedFor = mounts.real();
        }
        double seconds = (previousNanos - sinceNanos) / 1e9;
        List<DiskIo> io = new ArrayList<>(count);
        for (int i = 0; i < count && seconds > 0 && io.size() < MAX_DEVICES; i++) {
            List<String> carried = plan.get(i);
            Device now = previous[i];
            Device then = find(before, beforeCount, i, now.name);
            if (carried == null || then == null || now.wentDownSince(then)) {
                continue;
            }
            io.add(new DiskIo(now.name, carried, Rates.perSecond((now.sectorsRead - then.sectorsRead) * SECTOR_BYTES, seconds),
                    Rates.perSecond((now.sectorsWritten - then.sectorsWritten) * SECTOR_BYTES, seconds),
                    Rates.perSecond(now.reads - then.reads, seconds), Rates.perSecond(now.writes - then.writes, seconds),
                    Math.min(100, Rates.perSecond(now.busyMillis - then.busyMillis, seconds * 10))));
        }
        sample.diskIo = io;
    }

    /** Reads the counters; on success they become the newest reading, else the last one stays. */
    private int read() throws IOException {
        namesChanged = false;
        long now = nanoTime.getAsLong();
        int count = DiskStatsParser.parse(diskstats.read(), this);
        Device[] spare = previous;
        previous = current;
        current = spare;
        previousCount = count;
        previousNanos = now;
        return count;
    }

    @Override
    public String previousName(int index) {
        return index < previousCount ? previous[index].name : null;
    }

    @Override
    public void accept(int index, long major, long minor, String name, long reads, long sectorsRead, long writes, long sectorsWritten,
            long busyMillis) {
        if (index >= current.length) {
            current = java.util.Arrays.copyOf(current, index + 8);
        }
        if (current[index] == null) {
            current[index] = new Device();
        }
        namesChanged |= !name.equals(previousName(index));
        Device d = current[index];
        d.name = name;
        d.major = major;
        d.minor = minor;
        d.reads = reads;
        d.sectorsRead = sectorsRead;
        d.writes = writes;
        d.sectorsWritten = sectorsWritten;
        d.busyMillis = busyMillis;
    }

    /** The device named {@code name} in a reading: at {@code hint} when the devices kept their order. */
    private static Device find(Device[] reading, int count, int hint, String name) {
        if (hint < count && reading[hint].name.equals(name)) {
            return reading[hint];
        }
        for (int i = 0; i < count; i++) {
            if (reading[i].name.equals(name)) {
                return reading[i];
            }
        }
        return null;
    }

    /** Which devices of the newest reading to report, each with the mount points of the filesystems it carries. */
    private List<List<String>> plan(int count) {
        Map<String, Integer> byNumber = new HashMap<>();
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < count; i++) {
            byNumber.put(previous[i].major + ":" + previous[i].minor, i);
            byName.put(previous[i].name, i);
        }
        List<List<String>> carried = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            carried.add(new ArrayList<>(1));
        }
        for (Mount mount : mounts.real()) {
            Integer device = byNumber.get(mount.deviceId());
            if (device == null && mount.source().startsWith("/dev/")) {
                device = byName.get(mount.source().substring(5)); // btrfs and others mount with an anonymous device number
            }
            if (device != null) {
                Integer disk = diskOf(previous[device].name, byName);
                carried.get(disk != null ? disk : device).add(mount.mountPoint());
            }
        }
        List<List<String>> chosen = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = previous[i].name;
            boolean left = diskOf(name, byName) != null || (isVirtual(name) && carried.get(i).isEmpty());
            chosen.add(left ? null : List.copyOf(carried.get(i)));
        }
        return chosen;
    }

    /**
     * The disk a partition is on, or null for a whole device: {@code sda1} is on {@code sda},
     * {@code nvme0n1p2} on {@code nvme0n1}, {@code mmcblk0p1} on {@code mmcblk0}; {@code dm-0},
     * {@code md127} and {@code nvme0n1} are whole because no device has the name without their digits.
     */
    static Integer diskOf(String name, Map<String, Integer> byName) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        if (end == name.length() || end == 0) {
            return null;
        }
        Integer disk = byName.get(name.substring(0, end));
        if (disk == null && name.charAt(end - 1) == 'p' && end > 1) {
            disk = byName.get(name.substring(0, end - 1));
        }
        return disk;
    }

    private static boolean isVirtual(String name) {
        for (String prefix : VIRTUAL) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
