package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @Test
    void cpu_stat_gives_busy_and_total_ticks_per_slot() {
        CpuTimes times = new CpuTimes();
        CpuStatParser.parse(ByteText.of("""
                cpu  100 10 50 800 20 5 5 10 7 0
                cpu0 60 5 25 400 10 3 2 5 7 0
                cpu1 40 5 25 400 10 2 3 5 0 0
                intr 1 2 3
                btime 1763625600
                """), times);

        assertThat(times.slots).isEqualTo(3);
        assertThat(times.cores()).isEqualTo(2);
        assertThat(times.busy[0]).isEqualTo(100 + 10 + 50 + 5 + 5 + 10);
        assertThat(times.total[0]).isEqualTo(180 + 800 + 20);
        assertThat(times.busy[1]).isEqualTo(60 + 5 + 25 + 3 + 2 + 5);
        assertThat(times.bootTimeEpochSeconds).isEqualTo(1763625600L);
    }

    @Test
    void cpu_percent_is_the_busy_share_of_the_interval_and_never_negative() {
        CpuTimes before = new CpuTimes();
        CpuTimes after = new CpuTimes();
        CpuStatParser.parse(ByteText.of("cpu  100 0 0 900 0 0 0 0 0 0\ncpu0 100 0 0 900 0 0 0 0 0 0\n"), before);
        CpuStatParser.parse(ByteText.of("cpu  125 0 0 975 0 0 0 0 0 0\ncpu0 90 0 0 900 0 0 0 0 0 0\n"), after);

        assertThat(after.percentSince(before, 0)).isEqualTo(25.0);
        assertThat(after.percentSince(before, 1)).isZero(); // counters went backwards: no rate, not a negative one
    }

    @Test
    void cpu_stat_without_cpu_lines_is_an_error() {
        assertThatThrownBy(() -> CpuStatParser.parse(ByteText.of("intr 1\n"), new CpuTimes()))
                .hasMessageContaining("no cpu lines");
    }

    @Test
    void meminfo_reads_kib_as_bytes() {
        MemInfo info = new MemInfo();
        MeminfoParser.parse(ByteText.of("""
                MemTotal:       16384000 kB
                MemFree:         1024000 kB
                MemAvailable:   12189696 kB
                Buffers:          204800 kB
                Cached:          9830400 kB
                SwapTotal:       2097148 kB
                SwapFree:        1572860 kB
                """), info);

        assertThat(info.totalBytes).isEqualTo(16_384_000L * 1024);
        assertThat(info.available()).isEqualTo(12_189_696L * 1024);
        assertThat(info.swapTotalBytes - info.swapFreeBytes).isEqualTo((2_097_148L - 1_572_860L) * 1024);
    }

    @Test
    void meminfo_of_kernels_before_3_14_estimates_available_memory() {
        MemInfo info = new MemInfo();
        MeminfoParser.parse(ByteText.of("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 300 kB\n"), info);

        assertThat(info.available()).isEqualTo(450L * 1024);
    }

    @Test
    void loadavg_reads_three_decimals() {
        double[] load = new double[3];
        LoadAvgParser.parse(ByteText.of("1.24 0.98 10.07 3/412 88123\n"), load);

        assertThat(load).containsExactly(new double[] {1.24, 0.98, 10.07}, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void uptime_reads_whole_seconds() {
        assertThat(UptimeParser.parse(ByteText.of("432000.57 1702345.12\n"))).isEqualTo(432_000L);
    }

    @Test
    void net_dev_reads_every_interface_and_keeps_known_names() {
        List<String> seen = new ArrayList<>();
        String known = "eth0";
        int count = NetDevParser.parse(ByteText.of("""
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:    9961      90    0    0    0     0          0         0     9961      90    0    0    0     0       0          0
                  eth0: 214438363 4383    2    0    0     0          0         0   277908    2694    1    0    0     0       0          0
                """), new NetDevParser.Sink() {
            @Override
            public String previousName(int index) {
                return index == 1 ? known : null;
            }

            @Override
            public void accept(int index, String name, long bytesRecv, long packetsRecv, long errorsIn, long bytesSent,
                    long packetsSent, long errorsOut) {
                seen.add(name + " " + bytesRecv + " " + packetsRecv + " " + errorsIn + " " + bytesSent + " "
                        + packetsSent + " " + errorsOut);
                if (index == 1) {
                    assertThat(name).isSameAs(known);
                }
            }
        });

        assertThat(count).isEqualTo(2);
        assertThat(seen).containsExactly("lo 9961 90 0 9961 90 0", "eth0 214438363 4383 2 277908 2694 1");
    }

    @Test
    void mountinfo_reads_devices_roots_and_escaped_paths() {
        List<Mount> mounts = MountInfoParser.parse(ByteText.of("""
                28 1 253:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg0-root rw,errors=remount-ro
                34 28 0:45 / /mnt/backup\\040disk rw,relatime shared:32 master:3 - nfs4 nas:/export rw,vers=4.2
                35 28 253:2 /docker /var/lib/docker rw,noatime - xfs /dev/mapper/vg0-data rw
                """));

        assertThat(mounts).containsExactly(
                new Mount("253:1", "/", "/", "ext4", "/dev/mapper/vg0-root"),
                new Mount("0:45", "/", "/mnt/backup disk", "nfs4", "nas:/export"),
                new Mount("253:2", "/docker", "/var/lib/docker", "xfs", "/dev/mapper/vg0-data"));
    }

    @Test
    void real_filesystems_skip_pseudo_ones_and_report_each_filesystem_once() {
        List<Mount> selected = RealFilesystems.select(List.of(
                new Mount("0:21", "/", "/proc", "proc", "proc"),
                new Mount("253:2", "/docker", "/var/lib/docker", "xfs", "/dev/mapper/vg0-data"),
                new Mount("253:1", "/", "/", "ext4", "/dev/vda1"),
                new Mount("0:52", "/", "/var/lib/docker/overlay2/x/merged", "overlay", "overlay"),
                new Mount("253:2", "/", "/srv/data", "xfs", "/dev/mapper/vg0-data"),
                new Mount("253:1", "/home", "/home", "ext4", "/dev/vda1"),
                new Mount("0:24", "/", "/run", "tmpfs", "tmpfs")));

        assertThat(selected).extracting(Mount::mountPoint).containsExactly("/", "/srv/data");
    }

    @Test
    void a_partition_is_told_from_a_whole_device_by_the_devices_there_are() {
        java.util.Map<String, Integer> devices = java.util.Map.of("sda", 0, "nvme0n1", 1, "mmcblk0", 2, "md0", 3, "dm-0", 4, "xvda", 5);

        assertThat(DiskIoCollector.diskOf("sda1", devices)).isEqualTo(0);
        assertThat(DiskIoCollector.diskOf("sda15", devices)).isEqualTo(0);
        assertThat(DiskIoCollector.diskOf("nvme0n1p2", devices)).isEqualTo(1);
        assertThat(DiskIoCollector.diskOf("mmcblk0p1", devices)).isEqualTo(2);
        assertThat(DiskIoCollector.diskOf("md0p1", devices)).isEqualTo(3);
        assertThat(DiskIoCollector.diskOf("xvda1", devices)).isEqualTo(5);
        for (String whole : List.of("sda", "nvme0n1", "mmcblk0", "md0", "dm-0", "dm-12", "sr0", "loop7", "nbd0")) {
            assertThat(DiskIoCollector.diskOf(whole, devices)).as(whole).isNull();
        }
    }

    @Test
    void pressure_gives_the_ten_second_averages_of_some_and_full() {
        double[] into = new double[2];

        assertThat(PressureCollector.parse(ByteText.of("""
                some avg10=12.34 avg60=7.65 avg300=7.85 total=554276114
                full avg10=0.50 avg60=0.00 avg300=0.00 total=0
                """), into)).isTrue();
        assertThat(into).containsExactly(12.34, 0.5);
        assertThat(PressureCollector.parse(ByteText.of("some avg10=1.00 avg60=0.00 avg300=0.00 total=1\n"), into))
                .as("the CPU file of kernels before 5.13 has no full line").isFalse();
        assertThatThrownBy(() -> PressureCollector.parse(ByteText.of("full avg10=1.00\n"), into)).hasMessageContaining("some avg10=");
    }

    @Test
    void diskstats_of_an_old_kernel_with_eleven_counters_parse_and_an_empty_file_is_an_error() {
        List<String> names = new ArrayList<>();
        DiskStatsParser.Sink sink = new DiskStatsParser.Sink() {
            @Override
            public String previousName(int index) {
                return null;
            }

            @Override
            public void accept(int index, long major, long minor, String name, long reads, long sectorsRead, long writes,
                    long sectorsWritten, long busyMillis) {
                names.add(name + " " + major + ":" + minor + " " + reads + " " + sectorsRead + " " + writes + " " + sectorsWritten
                        + " " + busyMillis);
            }
        };

        assertThat(DiskStatsParser.parse(ByteText.of("   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"), sink)).isEqualTo(1);
        assertThat(names).containsExactly("sda 8:0 1 3 5 7 10");
        assertThatThrownBy(() -> DiskStatsParser.parse(ByteText.of(""), sink)).hasMessageContaining("no device");
    }
}
