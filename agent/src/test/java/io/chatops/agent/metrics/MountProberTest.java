package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.DiskUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MountProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final ProcFs FS = new ProcFs(Path.of("/"));
    private static final List<Mount> MOUNTS = List.of(
            new Mount("8:1", "/", "/", "ext4", "/dev/sda1"),
            new Mount("0:45", "/", "/mnt/nfs", "nfs4", "nas:/export"),
            new Mount("8:2", "/", "/srv", "xfs", "/dev/sda2"));

    private final CountDownLatch nfsServerBack = new CountDownLatch(1);
    private final AtomicInteger nfsCalls = new AtomicInteger();

    private final SpaceProbe probe = path -> {
        if (path.toString().equals("/mnt/nfs")) {
            nfsCalls.incrementAndGet();
            try {
                nfsServerBack.await(); // like statvfs on a hard NFS mount whose server is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new SpaceProbe.Space(100, 60, 40);
    };

    @Test
    void a_mount_that_does_not_answer_is_skipped_and_named_while_the_others_report() throws Exception {
        MountProber prober = new MountProber(FS, probe, TIMEOUT);
        List<String> problems = new ArrayList<>();

        List<DiskUsage> usages = prober.probeAll(MOUNTS, problems);

        assertThat(usages).extracting(DiskUsage::mount).containsExactly("/", "/srv");
        assertThat(problems).containsExactly("/mnt/nfs did not answer within 200 ms");
    }

    @Test
    void a_hung_mount_costs_no_more_waiting_until_it_answers_again() throws Exception {
        MountProber prober = new MountProber(FS, probe, TIMEOUT);
        prober.probeAll(MOUNTS, new ArrayList<>());

        List<String> problems = new ArrayList<>();
        List<DiskUsage> usages = prober.probeAll(MOUNTS, problems);

        assertThat(usages).extracting(DiskUsage::mount).containsExactly("/", "/srv");
        assertThat(problems).containsExactly("/mnt/nfs still does not answer");
        assertThat(nfsCalls).as("the dead mount is not asked again while its call hangs").hasValue(1);

        nfsServerBack.countDown();
        List<String> after = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            Thread.sleep(20);
            after.clear();
            usages = prober.probeAll(MOUNTS, after);
        } while (!after.isEmpty() && System.nanoTime() < deadline);
        assertThat(after).isEmpty();
        assertThat(usages).extracting(DiskUsage::mount).containsExactly("/", "/mnt/nfs", "/srv");
    }

    @Test
    void usage_is_computed_like_df() throws Exception {
        MountProber prober = new MountProber(FS, path -> new SpaceProbe.Space(1000, 300, 250), TIMEOUT);

        List<DiskUsage> usages = prober.probeAll(MOUNTS.subList(0, 1), new ArrayList<>());

        // used = total - unallocated = 700; free for users = 250; use% = 700 / (700 + 250)
        assertThat(usages).containsExactly(new DiskUsage("/", "/dev/sda1", "ext4", 1000, 700, 250, 73.68));
    }
}
