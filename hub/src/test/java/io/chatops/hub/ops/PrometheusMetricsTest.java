package io.chatops.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusMetricsTest {
    static final Instant T0 = Instant.parse("2026-11-26T01:00:00Z");

    @TempDir
    Path dataDir;

    static Metrics sample(long seq, Instant at, long bytesSent) {
        return new Metrics(seq, at, 5, new CpuUsage(12.5, List.of(12.5), 0.5, 0.4, 0.3), new MemoryUsage(100, 25, 75, 25.0, 0, 0),
                List.of(new DiskUsage("/", "/dev/vda", "ext4", 100, 60, 40, 60.0)),
                List.of(new InterfaceCounters("eth0", bytesSent, 0, 0, 0, 0, 0)), 10L, null, null);
    }

    @Test
    void metrics_name_every_server_and_pass_promtool_and_the_latest_sample_has_rates() throws Exception {
        try (Hub hub = TestHubs.start(dataDir, Clock.systemUTC())) {
            String token = TestHubs.token(hub, Clock.systemUTC(), "prom", Role.VIEWER);
            String id = hub.servers().create("web \"01\"", List.of()).id();
            hub.servers().create("never-seen", List.of());
            Api api = new Api(hub.port());
            assertThat(api.call("GET", "/metrics", null).status()).as("names the fleet: not public").isEqualTo(401);
            String operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
            assertThat(api.as(operator, "POST", "/api/v1/alert-rules", """
                    {"name":"busy","kind":"metric","metric":"cpu_percent","op":">","threshold":10}""").status()).isEqualTo(201);

            try (TestAgent agent = new TestAgent(hub.port()).auth(hub.servers().createKey(id, "k", null).key())) {
                agent.await(AuthSuccess.class);
                Metrics second = sample(2, T0.plusSeconds(5), 6_000);
                agent.send(sample(1, T0, 1_000)).send(new Metrics(2, second.timestamp(), 5, second.cpu(), second.memory(), second.disks(),
                        second.network(), second.uptimeSeconds(), null, null,
                        List.of(new DiskIo("vda", List.of("/"), 1024.0, 2048.0, 1.0, 2.0, 12.5)),
                        List.of(new Temperature("coretemp Package id 0", 61.0, 80.0, 100.0)), new Pressure(3.5, 0.25, 0.0, 1.0, null),
                        new TcpStats(42, 50, 7, 0, 1.0, 2.0, 0.4), new ServiceStates(30, 0, 0, 0, 20, 2, 0, List.of("a.service", "b.service"))));
                agent.await(MetricsAck.class, ack -> ack.seq() == 2);
                hub.services().alerts().settle();

                String text = api.as(token, "GET", "/metrics", null).raw().body();

                assertThat(text).contains("chatops_hub_agents_connected 1\n")
                        .contains("chatops_hub_samples_stored_total 2\n")
                        .contains("chatops_server_cpu_percent{server_id=\"" + id + "\",server_name=\"web \\\"01\\\"\"} 12.5\n")
                        .contains("chatops_server_online{server_id=\"" + id + "\",server_name=\"web \\\"01\\\"\"} 1\n")
                        .contains("server_name=\"never-seen\"} 0\n")
                        .contains("chatops_alerts_firing{severity=\"warning\"} 1\n")
                        .contains("chatops_alerts_firing{severity=\"critical\"} 0\n");
                String labels = "{server_id=\"" + id + "\",server_name=\"web \\\"01\\\"\"";
                assertThat(text).contains("chatops_server_disk_io_busy_percent" + labels + ",device=\"vda\"} 12.5\n")
                        .contains("chatops_server_disk_io_write_bytes_per_second" + labels + ",device=\"vda\"} 2048.0\n")
                        .contains("chatops_server_temperature_celsius" + labels + ",sensor=\"coretemp Package id 0\"} 61.0\n")
                        .contains("chatops_server_pressure_some_avg10_percent" + labels + ",resource=\"cpu\"} 3.5\n")
                        .contains("chatops_server_pressure_full_avg10_percent" + labels + ",resource=\"memory\"} 0.0\n")
                        .doesNotContain("chatops_server_pressure_full_avg10_percent" + labels + ",resource=\"io\"}")
                        .contains("chatops_server_tcp_established" + labels + "} 42.0\n")
                        .contains("chatops_server_tcp_retransmits_per_second" + labels + "} 0.4\n")
                        .contains("chatops_server_services_failed" + labels + "} 2.0\n");
                Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
                promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                promtool.getOutputStream().close();
                String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(promtool.exitValue()).as("promtool: %s", verdict).isZero();

                Api.Response latest = api.as(token, "GET", "/api/v1/servers/" + id + "/metrics/latest", null);
                assertThat(latest.body().path("seq").asLong()).isEqualTo(2);
                assertThat(latest.body().path("cpu").path("usage_percent").asDouble()).isEqualTo(12.5);
                assertThat(latest.body().path("network_rates").get(0).path("sent_bytes_per_second").asDouble()).isEqualTo(1_000.0);
            }
        }
    }
}
