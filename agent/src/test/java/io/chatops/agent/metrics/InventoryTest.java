package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.AgentInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    @TempDir
    Path scratch;

    @Test
    void reads_the_inventory_of_a_fixture_host() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);

        AgentInfo info = Inventory.read(fs, "1.2.3", "24.0.7", List.of("metrics", "exec"));

        assertThat(info.version()).isEqualTo("1.2.3");
        assertThat(info.hostname()).isEqualTo("db-02");
        assertThat(info.machineId()).isEqualTo("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        assertThat(info.os()).isEqualTo("Debian GNU/Linux 11 (bullseye)");
        assertThat(info.kernel()).isEqualTo("5.10.0-28-amd64");
        assertThat(info.cpuModel()).isEqualTo("Intel(R) Xeon(R) E-2236 CPU @ 3.40GHz");
        assertThat(info.cpuCores()).isEqualTo(4);
        assertThat(info.memoryTotalBytes()).isEqualTo(16_384_000L * 1024);
        assertThat(info.bootTime()).isEqualTo(Instant.ofEpochSecond(1763625600L));
        assertThat(info.dockerVersion()).isEqualTo("24.0.7");
        assertThat(info.capabilities()).containsExactly("metrics", "exec");
    }

    @Test
    void what_cannot_be_read_is_left_out_not_guessed() throws Exception {
        ProcFs fs = Fixtures.copy("server-composed", scratch);
        Files.delete(fs.resolve("etc/machine-id"));
        Files.delete(fs.resolve("etc/os-release"));
        Files.delete(fs.resolve("proc/cpuinfo"));

        AgentInfo info = Inventory.read(fs, "1.2.3", null, List.of("metrics"));

        assertThat(info.machineId()).isNull();
        assertThat(info.os()).isNull();
        assertThat(info.cpuModel()).isNull();
        assertThat(info.dockerVersion()).isNull();
    }

    @Test
    void architectures_use_docker_names() {
        assertThat(Inventory.arch("amd64")).isEqualTo("amd64");
        assertThat(Inventory.arch("x86_64")).isEqualTo("amd64");
        assertThat(Inventory.arch("aarch64")).isEqualTo("arm64");
        assertThat(Inventory.arch("riscv64")).isEqualTo("riscv64");
    }
}
