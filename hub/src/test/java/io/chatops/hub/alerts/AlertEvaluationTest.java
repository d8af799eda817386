package io.chatops.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.ProcessesRequest;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.AgentInfo;
import io.chatops.hub.TestAgent;
import io.chatops.protocol.Temperature;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.DiskIo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules judged as samples are stored, by the samples' own time, and alerts that outlive a restart. */
class AlertEvaluationTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock();
    Hub hub;
    Api api;
    String operator;
    String serverId;
    long seq;

    @BeforeEach
    void start() throws Exception {
        clock.set(T0);
        hub = TestHubs.start(dataDir, clock);
        api = new Api(hub.port());
        operator = TestHubs.token(hub, clock, "otto", Role.OPERATOR);
        serverId = hub.servers().create("web-01", List.of("prod")).id();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    void sample(Instant at, double cpu, double rootDiskPercent) throws InterruptedException {
        Metrics sample = new Metrics(++seq, at, 5, new CpuUsage(cpu, List.of(cpu, cpu), 1.0, 0.5, 0.25),
                new MemoryUsage(1000, 500, 500, 50.0, 0, 0),
                List.of(new DiskUsage("/", "/dev/vda", "ext4", 100, 40, 60, rootDiskPercent),
                        new DiskUsage("/data", "/dev/vdb", "ext4", 100, 10, 90, 10.0)),
                List.of(new InterfaceCounters("eth0", 0, 0, 0, 0, 0, 0)), 100L, null, null);
        hub.metrics().store(serverId, sample);
        hub.services().alerts().settle();
    }

    String rule(String json) throws Exception {
        Api.Response created = api.as(operator, "POST", "/api/v1/alert-rules", json);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return created.body().path("id").asText();
    }

    JsonNode alerts(String state) throws Exception {
        return api.as(operator, "GET", "/api/v1/alerts?state=" + state, null).body();
    }

    @Test
    void a_disk_rule_goes_pending_then_firing_after_its_duration_then_resolved_per_filesystem() throws Exception {
        rule("""
                {"name":"Disk almost full","severity":"critical","kind":"metric","metric":"disk_percent","op":">",
                 "threshold":90,"for_seconds":60,"scope":{"tags":["prod"]}}""");

        sample(T0, 5, 50);
        assertThat(alerts("all")).isEmpty();
        sample(T0.plusSeconds(5), 5, 93.4);
        JsonNode pending = alerts("pending").get(0);
        assertThat(pending.path("subject").asText()).isEqualTo("/");
        assertThat(pending.path("severity").asText()).isEqualTo("critical");
        assertThat(pending.path("started_at").asText()).isEqualTo(T0.plusSeconds(5).toString());

        sample(T0.plusSeconds(60), 5, 95);
        assertThat(alerts("firing")).isEmpty(); // held 55 s of 60
        sample(T0.plusSeconds(65), 5, 96.5);
        JsonNode firing = alerts("firing").get(0);
        assertThat(firing.path("id").asText()).isEqualTo(pending.path("id").asText());
        assertThat(firing.path("firing_at").asText()).isEqualTo(T0.plusSeconds(65).toString());
        assertThat(firing.path("summary").asText()).isEqualTo("disk / on web-01 is 96.5% full (> 90 for 1 min)");
        assertThat(firing.path("server_name").asText()).isEqualTo("web-01");

        sample(T0.plusSeconds(70), 5, 80);
        assertThat(alerts("firing,pending")).isEmpty();
        JsonNode resolved = alerts("resolved").get(0);
        assertThat(resolved.path("id").asText()).isEqualTo(pending.path("id").asText());
        assertThat(resolved.path("resolved_at").asText()).isEqualTo(T0.plusSeconds(70).toString());
        assertThat(alerts("all")).hasSize(1); // /data never crossed the line
    }

    /** A sample with the parts a current agent adds: one disk's busy time, one sensor, and the failed services. */
    void sample(Instant at, double busyPercent, double celsius, List<String> failedServices) throws InterruptedException {
        Metrics sample = new Metrics(++seq, at, 5, new CpuUsage(5, List.of(5.0), 1.0, 0.5, 0.25), new MemoryUsage(1000, 500, 500, 50.0, 0, 0),
                List.of(new DiskUsage("/", "/dev/vda", "ext4", 100, 40, 60, 40)), List.of(), 100L, null, null,
                List.of(new DiskIo("vda", List.of("/"), 0, 0, 0, 0, busyPercent)), List.of(new Temperature("coretemp Package id 0", celsius,
                80.0, 100.0)), null, null, new ServiceStates(30, 0, 0, 0, 10, failedServices.size(), 0, failedServices));
        hub.metrics().store(serverId, sample);
        hub.services().alerts().settle();
    }

    @Test
    void disk_busy_temperature_and_failed_service_rules_fire_per_device_sensor_and_unit_and_resolve() throws Exception {
        rule("""
                {"name":"Disk saturated","kind":"metric","metric":"disk_io_busy_percent","op":">","threshold":90}""");
        rule("""
                {"name":"Hot","kind":"metric","metric":"temperature_celsius","op":">=","threshold":85}""");
        rule("""
                {"name":"Service failed","kind":"metric","metric":"service_failed","op":">","threshold":0}""");

        sample(T0, 95, 86, List.of("backup.service", "certbot.service"));
        assertThat(alerts("firing").findValuesAsText("summary")).containsExactlyInAnyOrder(
                "disk vda on web-01 is 95% busy (> 90)",
                "coretemp Package id 0 on web-01 is at 86 °C (>= 85)",
                "service backup.service on web-01 has failed (> 0)",
                "service certbot.service on web-01 has failed (> 0)");

        sample(T0.plusSeconds(5), 10, 60, List.of("certbot.service"));
        assertThat(alerts("firing").findValuesAsText("subject")).as("backup.service no longer failed: no longer named")
                .containsExactly("certbot.service");
        assertThat(alerts("resolved").findValuesAsText("subject")).containsExactlyInAnyOrder("vda", "coretemp Package id 0",
                "backup.service");
    }

    @Test
    void a_preview_shows_what_a_rule_would_cover_now_and_stores_nothing() throws Exception {
        hub.servers().create("db-01", List.of("db"));
        sample(T0, 5, 50);
        sample(T0.plusSeconds(5), 5, 60);

        JsonNode preview = api.as(operator, "POST", "/api/v1/alert-rules/preview", """
                {"kind":"metric","metric":"disk_percent","op":">","threshold":55,"scope":{"tags":["prod"]}}""").body();

        assertThat(preview.path("servers_covered").asInt()).isEqualTo(1);
        JsonNode server = preview.path("servers").get(0);
        assertThat(server.path("server_name").asText()).isEqualTo("web-01");
        assertThat(server.path("subjects").findValuesAsText("subject")).containsExactly("/", "/data");
        assertThat(server.path("subjects").get(0).path("value").asDouble()).isEqualTo(60.0);
        assertThat(server.path("subjects").get(0).path("breaks").asBoolean()).isTrue();
        assertThat(server.path("subjects").get(1).path("breaks").asBoolean()).isFalse();
        assertThat(api.as(operator, "POST", "/api/v1/alert-rules/preview", "{\"kind\":\"offline\"}").body()
                .path("servers_covered").asInt()).isEqualTo(2);
        assertThat(api.as(operator, "POST", "/api/v1/alert-rules/preview", "{\"kind\":\"metric\",\"metric\":\"cpu\"}")
                .errorMessage()).isEqualTo("unknown metric \"cpu\"");
        assertThat(api.as(operator, "GET", "/api/v1/alert-rules", null).body()).isEmpty();
    }

    @Test
    void a_replayed_backlog_is_judged_by_when_it_happened_not_when_it_arrived() throws Exception {
        rule("""
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">=","threshold":90,"for_seconds":300}""");
        clock.set(T0.plus(Duration.ofHours(2))); // the samples arrive two hours late, all at once

        for (int i = 0; i <= 12; i++) {
            sample(T0.plusSeconds(10L * i), 95, 10); // two minutes of a busy CPU: never five
        }
        assertThat(alerts("firing")).isEmpty();
        assertThat(alerts("pending").get(0).path("started_at").asText()).isEqualTo(T0.toString());

        for (int i = 13; i <= 31; i++) {
            sample(T0.plusSeconds(10L * i), 95, 10); // now five minutes and ten seconds
        }
        assertThat(alerts("firing").get(0).path("firing_at").asText()).isEqualTo(T0.plusSeconds(300).toString());
    }

    @Test
    void an_alert_firing_before_a_restart_is_the_same_alert_after_it() throws Exception {
        rule("""
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90}""");
        sample(T0, 99, 10);
        String id = alerts("firing").get(0).path("id").asText();

        hub.close();
        hub = TestHubs.start(dataDir, clock);
        api = new Api(hub.port());
        sample(T0.plusSeconds(5), 99, 10);
        sample(T0.plusSeconds(10), 98, 10);

        assertThat(alerts("all")).hasSize(1);
        assertThat(alerts("firing").get(0).path("id").asText()).isEqualTo(id);
        sample(T0.plusSeconds(15), 20, 10);
        assertThat(alerts("resolved").get(0).path("id").asText()).isEqualTo(id);
    }

    @Test
    void a_silent_server_fires_an_offline_rule_by_the_hub_s_clock_and_disabling_the_rule_ends_it() throws Exception {
        String ruleId = rule("""
                {"name":"Server down","kind":"offline","for_seconds":120}""");
        sample(T0, 5, 10); // last contact at T0; no agent is connected
        clock.set(T0.plus(AlertEvaluator.OFFLINE_GRACE_AFTER_START).plusSeconds(10));
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();
        assertThat(alerts("firing")).isEmpty();
        assertThat(alerts("pending").get(0).path("started_at").asText()).isEqualTo(T0.toString());

        clock.set(T0.plusSeconds(125));
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();
        JsonNode firing = alerts("firing").get(0);
        assertThat(firing.path("summary").asText()).isEqualTo("web-01 is offline (for 2 min)");

        assertThat(api.as(operator, "PATCH", "/api/v1/alert-rules/" + ruleId, "{\"enabled\":false}").status()).isEqualTo(200);
        hub.services().alerts().settle();
        assertThat(alerts("resolved").get(0).path("id").asText()).isEqualTo(firing.path("id").asText());
    }

    @Test
    void a_firing_alert_repeats_until_acknowledged() throws Exception {
        String channel = api.as(operator, "POST", "/api/v1/notification-channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\"}}").body().path("id").asText();
        rule("""
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"repeat_seconds":60,
                 "channel_ids":["%s"]}""".formatted(channel));
        sample(T0, 99, 10);
        String id = alerts("firing").get(0).path("id").asText();

        clock.advance(java.time.Duration.ofSeconds(59));
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();
        assertThat(events()).containsExactly("alert.firing");
        clock.advance(java.time.Duration.ofSeconds(1));
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();
        assertThat(events()).containsExactly("alert.repeat", "alert.firing");

        assertThat(api.as(operator, "POST", "/api/v1/alerts/" + id + "/ack", "{\"comment\":\"on it\"}").body()
                .path("acknowledged_by").asText()).isEqualTo("otto");
        clock.advance(java.time.Duration.ofSeconds(120));
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();
        assertThat(events()).containsExactly("alert.repeat", "alert.firing");
    }

    @Test
    void a_cpu_alert_is_told_with_the_three_busiest_processes_at_the_time_it_fired() throws Exception {
        String channel = api.as(operator, "POST", "/api/v1/notification-channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\"}}").body().path("id").asText();
        rule("""
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s"]}""".formatted(channel));
        AgentInfo current = new AgentInfo("1.1.0", "web-01", null, null, null, null, null, 2, 1L << 30, null, null,
                List.of("metrics", "processes"));
        try (TestAgent agent = new TestAgent(hub.port()).auth(hub.servers().createKey(serverId, "k", null).key(), current)) {
            agent.await(AuthSuccess.class);
            sample(clock.instant(), 99, 10);
            assertThat(alerts("firing")).hasSize(1);
            hub.services().alerts().checkOffline();
            hub.services().alerts().settle();
            assertThat(events()).as("not told while the agent measures").isEmpty();

            ProcessesRequest request = agent.await(ProcessesRequest.class);
            assertThat(request.sort()).isEqualTo(ProcessesRequest.Sort.CPU);
            agent.send(new ProcessList(request.id(), clock.instant(), 500, 90, List.of(
                    new ProcessList.ProcessInfo(4121, "postgres", "/usr/lib/postgresql/16/bin/postgres -D /var/lib/pg", 97.0, 1_288_490_188L),
                    new ProcessList.ProcessInfo(88, "root", "[kworker/0:1]", 1.0, 0),
                    new ProcessList.ProcessInfo(998, "root", "sshd: otto", 0.5, 8L << 20),
                    new ProcessList.ProcessInfo(1, "root", "/sbin/init", 0.0, 12L << 20))));
            long deadline = System.nanoTime() + 10_000_000_000L;
            JsonNode told;
            do {
                hub.services().alerts().checkOffline();
                hub.services().alerts().settle();
                told = api.as(operator, "GET", "/api/v1/notifications", null).body();
            } while (told.isEmpty() && System.nanoTime() < deadline);

            assertThat(told.findValuesAsText("event")).containsExactly("alert.firing");
            String body = hub.database().jdbi().withHandle(h -> h.createQuery("SELECT body FROM notifications").mapTo(String.class).one());
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("processes").findValuesAsText("command")).as("the webhook's body names three")
                    .containsExactly("/usr/lib/postgresql/16/bin/postgres -D /var/lib/pg", "[kworker/0:1]", "sshd: otto");
            // Chat and mail get one line: the program, not its whole command line.
            assertThat(new Notices(java.net.URI.create("http://hub")).of(Notices.FIRING, new Alert("a", "r", serverId, "",
                    Alert.State.FIRING, 99.0, T0, T0, null, null, null, null), new AlertStore(hub.database().jdbi(), hub.services().notifications()).rules().get(0),
                    hub.servers().require(serverId), List.of(new ProcessList.ProcessInfo(4121, "postgres",
                            "/usr/lib/postgresql/16/bin/postgres -D /var/lib/pg", 97.0, 1_288_490_188L),
                            new ProcessList.ProcessInfo(88, "root", "[kworker/0:1]", 1.0, 0))).title())
                    .isEqualTo("cpu_percent on web-01 is 99 (> 90); busiest: postgres (4121) 97% CPU, 1.2 GiB, [kworker/0:1] (88) 1% CPU, 0 MiB");
        }
    }

    @Test
    void a_silenced_alert_changes_state_and_is_listed_but_is_told_only_once_the_silence_ended() throws Exception {
        String channel = api.as(operator, "POST", "/api/v1/notification-channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\"}}").body().path("id").asText();
        rule("""
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s"]}"""
                .formatted(channel));
        Api.Response silenced = api.as(operator, "POST", "/api/v1/silences", """
                {"server_id":"%s","until":"%s","reason":"kernel upgrade"}""".formatted(serverId, T0.plusSeconds(600)));
        assertThat(silenced.status()).isEqualTo(201);
        assertThat(api.as(operator, "POST", "/api/v1/silences", "{\"until\":\"" + T0.minusSeconds(1) + "\",\"reason\":\"x\"}")
                .errorMessage()).isEqualTo("until must be in the future and at most 90 days away");
        assertThat(api.as(operator, "POST", "/api/v1/silences", "{\"server_id\":\"ghost\",\"until\":\"" + T0.plusSeconds(60)
                + "\",\"reason\":\"x\"}").errorMessage()).isEqualTo("server_id: no server ghost");

        sample(T0, 99, 10);
        JsonNode firing = alerts("firing").get(0);
        assertThat(firing.path("silenced_until").asText()).isEqualTo(T0.plusSeconds(600).toString());
        assertThat(events()).isEmpty();

        assertThat(api.as(operator, "DELETE", "/api/v1/silences/" + silenced.body().path("id").asText(), null).status()).isEqualTo(204);
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();
        assertThat(events()).containsExactly("alert.firing");
        assertThat(alerts("firing").get(0).path("silenced_until").isNull()).isTrue();
        sample(T0.plusSeconds(5), 10, 10);
        assertThat(events()).containsExactly("alert.resolved", "alert.firing");
    }

    @Test
    void an_alert_silenced_from_firing_to_resolved_tells_nothing() throws Exception {
        String channel = api.as(operator, "POST", "/api/v1/notification-channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\"}}").body().path("id").asText();
        String ruleId = rule("""
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s"]}"""
                .formatted(channel));
        api.as(operator, "POST", "/api/v1/silences", """
                {"rule_id":"%s","until":"%s","reason":"known noise"}""".formatted(ruleId, T0.plusSeconds(600)));

        sample(T0, 99, 10);
        sample(T0.plusSeconds(5), 10, 10);

        assertThat(alerts("resolved")).hasSize(1);
        assertThat(events()).isEmpty();
    }

    List<String> events() throws Exception {
        return api.as(operator, "GET", "/api/v1/notifications", null).body().findValuesAsText("event");
    }

    @Test
    void a_hub_that_just_started_does_not_page_for_agents_that_have_not_reconnected_yet() throws Exception {
        rule("""
                {"name":"Server down","kind":"offline"}""");
        sample(T0, 5, 10);
        clock.set(T0.plusSeconds(30));
        hub.services().alerts().checkOffline();
        hub.services().alerts().settle();

        assertThat(alerts("all")).isEmpty();
    }
}
