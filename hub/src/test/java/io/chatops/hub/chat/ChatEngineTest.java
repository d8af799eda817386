package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.UserStore;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import io.chatops.protocol.ProcessesRequest;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.AgentInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat engine over a real hub and a stand-in agent: verbs, roles, approvals, fan-out. */
class ChatEngineTest {
    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock();
    Hub hub;
    ChatEngine engine;
    Actor otto;
    Actor olga;
    Actor vera;
    String key;
    final List<Reply> later = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, clock);
        engine = hub.services().chat();
        otto = actor("otto", Role.OPERATOR);
        olga = actor("olga", Role.OPERATOR);
        vera = actor("vera", Role.VIEWER);
        String web = hub.servers().create("web-01", List.of("prod")).id();
        hub.servers().create("web-02", List.of("prod"));
        hub.servers().create("db-01", List.of());
        key = hub.servers().createKey(web, "k", null).key();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    Actor actor(String name, Role role) {
        TestHubs.token(hub, clock, name, role);
        String id = new UserStore(hub.database().jdbi(), clock).byUsername(name).orElseThrow().id();
        return new Actor(id, name, role, Actor.Source.WEB_CHAT, "127.0.0.1");
    }

    String say(Actor actor, String text) {
        return engine.handle(actor, ChatEngine.Origin.WEB, text, later::add).text();
    }

    Reply reply(Actor actor, String text) {
        return engine.handle(actor, ChatEngine.Origin.WEB, text, later::add);
    }

    @Test
    void status_lists_the_target_and_an_unknown_verb_or_server_gets_the_closest_one() {
        assertThat(say(vera, "status tag:prod")).startsWith("@vera 2 servers:").contains("web-01", "web-02", "never connected")
                .doesNotContain("db-01");
        assertThat(say(vera, "stauts")).isEqualTo("@vera there is no verb stauts. Did you mean status? usage: status [target] — help lists them all");
        assertThat(say(vera, "status web-1")).isEqualTo("@vera no server is named web-1; the closest: web-01, web-02, db-01 (usage: status [target])");
        assertThat(say(vera, "help run")).startsWith("@vera `run <target> -- <command>");
        assertThat(say(vera, "whoami")).isEqualTo("@vera you are vera (viewer) in the web room.");
    }

    @Test
    void top_shows_the_busiest_processes_the_agent_measured() throws Exception {
        AgentInfo current = new AgentInfo("1.1.0", "web-01", null, null, null, null, null, 2, 1L << 30, null, null,
                List.of("metrics", "processes"));
        try (TestAgent agent = new TestAgent(hub.port()).auth(key, current)) {
            agent.await(AuthSuccess.class);
            java.util.concurrent.CompletableFuture<String> answer = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> say(vera, "top web-01 memory"));
            ProcessesRequest request = agent.await(ProcessesRequest.class);
            assertThat(request.sort()).isEqualTo(ProcessesRequest.Sort.MEMORY);
            agent.send(new ProcessList(request.id(), Instant.parse("2026-11-26T01:00:00.500Z"), 500, 212, List.of(
                    new ProcessList.ProcessInfo(4121, "postgres", "postgres: 16/main: checkpointer", 1.5, 3L << 30),
                    new ProcessList.ProcessInfo(2211, "application-user", "java -Xmx2g -jar " + "x".repeat(100), 12.25, 512L << 20))));

            assertThat(answer.join()).isEqualTo("""
                    @vera web-01, busiest by memory of 212 processes at 01:00:00 UTC (CPU over 500 ms; 100% is one core):
                    ```
                        PID  USER          CPU    MEMORY  COMMAND
                       4121  postgres     1.5%   3.0 GiB  postgres: 16/main: checkpointer
                       2211  applicati…  12.3%   512 MiB  java -Xmx2g -jar xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
                    ```""");
            assertThat(say(vera, "top web-01 disk")).isEqualTo("@vera top orders by cpu or memory, not disk (usage: top <server> [cpu|memory])");
            assertThat(say(vera, "top")).isEqualTo("@vera usage: top <server> [cpu|memory]");
        }
    }

    @Test
    void a_viewer_cannot_run_or_approve_and_nothing_reaches_the_agent() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            assertThat(say(vera, "run web-01 -- uptime")).isEqualTo("@vera this needs the operator role; you are viewer");
            String id = reply(otto, "run web-01 -- rm -rf /tmp/cache").approvalId();
            assertThat(say(vera, "approve " + id)).isEqualTo("@vera this needs the operator role; you are viewer");
            assertThat(agent.received).noneMatch(Command.class::isInstance);
        }
    }

    @Test
    void an_allowed_command_on_one_server_runs_at_once_and_its_row_fills_in() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            Reply first = reply(otto, "run web-01 -- uptime");

            assertThat(first.text()).startsWith("@otto ran `uptime` on 1 server (job " + first.jobId() + "): 0 finished, 1 running");
            Command command = agent.await(Command.class);
            agent.send(new CommandResponse(command.id(), 0, " 10:00:00 up 3 days\n", "", 12, false, false, null));
            Reply done = awaitLater(first.jobId());
            assertThat(done.text()).contains("done, 1 succeeded, 0 did not", "web-01  exit 0 in 0.0 s", "10:00:00 up 3 days");
            assertThat(say(otto, "jobs")).contains(first.jobId() + "  ").contains("Z  otto  done    uptime");
        }
    }

    @Test
    void a_request_waits_for_another_operator_runs_its_stored_command_once_and_says_so_to_the_second_approver() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            Reply asked = reply(otto, "run web-01 -- rm -rf /tmp/cache");
            String id = asked.approvalId();
            assertThat(asked.text()).contains("needs another operator's approval", "approve " + id);
            assertThat(asked.buttons()).extracting(Reply.Button::command).containsExactly("approve " + id, "deny " + id);
            assertThat(say(otto, "approve " + id)).isEqualTo("@otto you asked for " + id + " yourself; another operator must decide it"
                    + " (usage: approve <id>)");
            assertThat(say(olga, "pending")).contains(id + "  otto: run on web-01: rm -rf /tmp/cache");

            Reply approved = reply(olga, "approve " + id);
            assertThat(approved.text()).startsWith("@olga approved " + id + " (otto's request).\n@otto ran `rm -rf /tmp/cache`");
            assertThat(agent.await(Command.class).command()).isEqualTo("rm -rf /tmp/cache");
            assertThat(say(olga, "approve " + id)).contains(id + " was already approved by olga; it ran once, nothing ran now");
            Thread.sleep(200);
            assertThat(agent.received.stream().filter(Command.class::isInstance)).hasSize(1);
            Api api = new Api(hub.port());
            String admin = TestHubs.token(hub, clock, "ada", Role.ADMIN);
            assertThat(api.as(admin, "GET", "/api/v1/audit?action=chat_approve", null).body().get(0).path("detail").asText())
                    .isEqualTo("run on web-01: rm -rf /tmp/cache; requested by otto (web), approved by olga (web)");
        }
    }

    @Test
    void of_two_approvers_at_once_exactly_one_runs_it() throws Exception {
        Actor oscar = actor("oscar", Role.OPERATOR);
        String id = reply(otto, "docker stop web-01 nginx").approvalId();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> await(go, () -> say(olga, "approve " + id)));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> await(go, () -> say(oscar, "approve " + id)));
        go.countDown();

        List<String> answers = List.of(first.join(), second.join());
        assertThat(answers).filteredOn(a -> a.contains("approved " + id + " (otto's request)")).hasSize(1);
        assertThat(answers).filteredOn(a -> a.contains("was already approved by")).hasSize(1);
    }

    @Test
    void an_expired_or_denied_request_runs_nothing_and_says_so() {
        String expiring = reply(otto, "run tag:prod -- uptime").approvalId();
        String denied = reply(otto, "run db-01 -- reboot").approvalId();
        assertThat(say(olga, "deny " + denied + " not during business hours")).isEqualTo("@olga denied " + denied
                + " (otto: run on db-01: reboot): not during business hours. Nothing ran.");
        clock.advance(Duration.ofMinutes(11));

        assertThat(say(olga, "approve " + expiring)).contains(expiring + " expired at", "without a decision; nothing ran");
        assertThat(say(olga, "approve " + denied)).contains(denied + " was denied by olga; nothing ran");
        assertThat(say(olga, "pending")).isEqualTo("@olga nothing waits for approval.");
    }

    @Test
    void the_admin_sets_the_allow_list_and_a_multi_server_run_asks_for_approval() {
        assertThat(reply(otto, "run tag:prod -- uptime").approvalId()).as("two servers").isNotNull();
        assertThat(reply(otto, "run web-01 -- systemctl status nginx").approvalId()).as("not allowed yet").isNotNull();
        Actor ada = actor("ada", Role.ADMIN);
        engine.updateSettings(ada, Api.JSON.valueToTree(java.util.Map.of("allow_commands", List.of("systemctl status *"),
                "approval_for_multi_server", false)));

        assertThat(reply(otto, "run web-01 -- systemctl  status nginx").jobId()).as("allowed now, blanks evened out").isNotNull();
        assertThat(reply(otto, "run tag:prod -- systemctl status nginx").jobId()).as("multi-server approval turned off").isNotNull();
        assertThat(reply(otto, "run web-01 -- uptime").approvalId()).as("no longer on the list").isNotNull();
    }

    Reply awaitLater(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Reply reply : later) {
                if (jobId.equals(reply.jobId()) && reply.text().contains(": done,")) {
                    return reply;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the job did not finish: " + later);
    }

    interface Call {
        String get() throws Exception;
    }

    static String await(CountDownLatch go, Call call) {
        try {
            go.await();
            return call.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
