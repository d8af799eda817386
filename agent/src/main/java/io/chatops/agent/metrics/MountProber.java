package io.chatops.agent.metrics;

import io.chatops.protocol.DiskUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs statvfs for a list of mounts on a worker thread and gives each mount at most
 * {@link #MOUNT_TIMEOUT} to answer. A mount that does not answer is reported and skipped, its
 * worker is abandoned (a thread stuck in the kernel cannot be interrupted) and a fresh worker
 * carries on with the other mounts. The mount is skipped in later samples until its stuck call
 * returns, so a dead NFS server costs one second once, not one second per sample.
 */
final class MountProber {
    static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(1);

    private final SpaceProbe probe;
    private final ProcFs fs;
    private final Duration timeout;
    private final Set<String> hung = ConcurrentHashMap.newKeySet();
    private ExecutorService worker;

    MountProber(ProcFs fs, SpaceProbe probe, Duration timeout) {
        this.fs = fs;
        this.probe = probe;
        this.timeout = timeout;
    }

    /** Usage of each mount that answered, in order; {@code problems} gets one line per mount that did not. */
    List<DiskUsage> probeAll(List<Mount> mounts, List<String> problems) throws InterruptedException {
        List<Mount> todo = new ArrayList<>(mounts.size());
        for (Mount mount : mounts) {
            if (hung.contains(mount.mountPoint())) {
                problems.add(mount.mountPoint() + " still does not answer");
            } else {
                todo.add(mount);
            }
        }
        List<DiskUsage> usages = new ArrayList<>(todo.size());
        int next = 0;
        while (next < todo.size()) {
            List<Mount> batch = todo.subList(next, todo.size());
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            AtomicBoolean abandoned = new AtomicBoolean();
            worker().execute(() -> probeBatch(batch, answers, abandoned));
            for (Mount mount : batch) {
                next++;
                Object answer = answers.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    hung.add(mount.mountPoint());
                    abandoned.set(true);
                    worker.shutdown();
                    worker = null;
                    // The answer may have come in between the deadline and the abandoning.
                    answer = answers.poll();
                    if (answer == null) {
                        problems.add(mount.mountPoint() + " did not answer within " + timeout.toMillis() + " ms");
                        break;
                    }
                    hung.remove(mount.mountPoint());
                }
                if (answer instanceof DiskUsage) {
                    usages.add((DiskUsage) answer);
                } else if (answer instanceof String) {
                    problems.add((String) answer);
                }
                if (worker == null) {
                    break; // the rest of the batch goes to a fresh worker
                }
            }
        }
        return usages;
    }

    private void probeBatch(List<Mount> batch, BlockingQueue<Object> answers, AtomicBoolean abandoned) {
        for (Mount mount : batch) {
            if (abandoned.get()) {
                return;
            }
            answers.add(probeOne(mount));
            if (abandoned.get()) {
                // The stuck call returned after the deadline: probe this mount again next time.
                hung.remove(mount.mountPoint());
                return;
            }
        }
    }

    /** A {@link DiskUsage}, a problem as a String, or {@code Boolean.FALSE} for a filesystem of no size. */
    private Object probeOne(Mount mount) {
        Path path = fs.mountPoint(mount.mountPoint());
        try {
            SpaceProbe.Space space = probe.probe(path);
            if (space.totalBytes() <= 0) {
                return Boolean.FALSE; // nothing to report, like df without -a
            }
            long used = Math.max(0, space.totalBytes() - space.unallocatedBytes());
            long free = Math.max(0, space.freeBytes());
            double percent = used + free == 0 ? 0 : CpuCollector.round(100.0 * used / (used + free));
            return new DiskUsage(mount.mountPoint(), mount.source(), mount.fsType(), space.totalBytes(), used, free,
                    Math.min(100.0, percent));
        } catch (Exception e) {
            return mount.mountPoint() + ": " + e.getMessage();
        }
    }

    private ExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "disk-probe");
                thread.setDaemon(true);
                return thread;
            });
        }
        return worker;
    }
}
