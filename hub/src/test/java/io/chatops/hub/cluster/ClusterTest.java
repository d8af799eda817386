package io.chatops.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.TestHubs;
import io.chatops.hub.TestSocket;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.OutputStreamName;
import io.chatops.protocol.Settings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub instances on one PostgreSQL, as behind a load balancer: whichever instance a client
 * calls, it reaches the agent connected to the other, and sees what that agent reports.
 */
class ClusterTest {
    static final ContainerInfo NGINX = new ContainerInfo("3f2a9c1b7d8e", "nginx", "nginx:1.27", "running", "Up 1 second",
            null, Instant.parse("2026-11-25T22:00:00Z"), 0, List.of(), 0.0, 1024L);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    TestDatabases.TestDatabase database;
    Hub a;
    Hub b;
    Api apiA;
    Api apiB;
    String operator;
    String admin;
    String serverId;
    String key;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabases.fresh("postgresql");
        a = TestHubs.start(dirA, Clock.systemUTC(), "--db-url", database.url());
        b = TestHubs.start(dirB, Clock.systemUTC(), "--db-url", database.url());
        apiA = new Api(a.port());
        apiB = new Api(b.port());
        operator = TestHubs.token(a, Clock.systemUTC(), "otto", Role.OPERATOR);
        admin = TestHubs.token(a, Clock.systemUTC(), "ada", Role.ADMIN);
        serverId = a.servers().create("web-01", List.of()).id();
        key = a.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        database.close();
    }

    @Test
    void a_command_sent_to_one_instance_runs_on_the_agent_of_the_other_with_its_output_live_there() throws Exception {
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            CompletableFuture<Api.Response> call = async(() -> apiB.as(operator, "POST",
                    "/api/v1/servers/" + serverId + "/commands?wait=true",
                    "{\"command\":\"echo hello\",\"timeout_seconds\":10}"));
            Command command = agent.await(Command.class);
            try (TestSocket<JsonNode> live = live(b)) {
                live.send("{\"type\":\"subscribe\",\"topics\":[\"command:" + command.id() + "\"]}");
                live.await(m -> m.path("type").asText().equals("subscribed"), "subscribed");
                agent.send(new CommandOutput(command.id(), OutputStreamName.STDOUT, "hello\n"));
                assertThat(live.await(m -> m.path("type").asText().equals("command_output"), "output").path("data").asText())
                        .isEqualTo("hello\n");
                agent.send(new CommandResponse(command.id(), 0, "hello\n", "", 3, false, false, null));
                Api.Response response = call.join();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body().path("status").asText()).isEqualTo("succeeded");
                assertThat(response.body().path("stdout").asText()).isEqualTo("hello\n");
                live.await(m -> m.path("type").asText().equals("command_finished"), "finished");
            }

            Api.Response started = apiB.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands", "{\"command\":\"sleep 100\"}");
            assertThat(started.status()).isEqualTo(202);
            String id = started.body().path("id").asText();
            agent.await(Command.class, c -> c.id().equals(id));
            assertThat(apiB.as(operator, "POST", "/api/v1/commands/" + id + "/cancel", null).status()).isEqualTo(202);
            agent.await(CommandCancel.class, c -> c.id().equals(id));
        }
    }

    @Test
    void docker_actions_and_container_lists_reach_the_agent_held_elsewhere() throws Exception {
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            agent.send(new Containers(Instant.now(), List.of(NGINX)));
            eventually(() -> !apiB.as(operator, "GET", "/api/v1/servers/" + serverId + "/containers", null).body()
                    .path("containers").isEmpty());
            assertThat(apiB.as(operator, "GET", "/api/v1/servers/" + serverId + "/containers", null).body()
                    .path("containers").get(0).path("name").asText()).isEqualTo("nginx");

            CompletableFuture<Api.Response> restart = async(() -> apiB.as(operator, "POST",
                    "/api/v1/servers/" + serverId + "/containers/nginx/restart", null));
            DockerCommand command = agent.await(DockerCommand.class, c -> c.action() == DockerCommand.Action.RESTART);
            agent.send(new DockerResponse(command.id(), true, new DockerResult(null, NGINX, null, null), null));
            assertThat(restart.join().status()).isEqualTo(200);
            assertThat(apiB.as(admin, "GET", "/api/v1/audit?action=docker_restart", null).body().toString()).contains("\"ok\"");

            // An admin's change on the other instance reaches the agent at once.
            assertThat(apiB.as(admin, "PATCH", "/api/v1/servers/" + serverId, "{\"metrics_interval_seconds\":30}").status())
                    .isEqualTo(200);
            assertThat(agent.await(Settings.class).metricsIntervalSeconds()).isEqualTo(30);
        }
    }

    @Test
    void browsers_on_one_instance_see_the_samples_and_status_of_agents_on_the_other() throws Exception {
        try (TestSocket<JsonNode> live = live(b)) {
            live.send("{\"type\":\"subscribe\",\"topics\":[\"servers\",\"server:" + serverId + ":metrics\"]}");
            live.await(m -> m.path("type").asText().equals("subscribed"), "subscribed");
            try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
                agent.await(AuthSuccess.class);
                live.await(m -> m.path("type").asText().equals("server_status") && m.path("status").asText().equals("online"), "online");
                // The instance with the agent learns within moments that this server is followed on the other.
                long[] seq = {0};
                eventually(() -> {
                    agent.send(new Metrics(++seq[0], Instant.now(), 5, null, null, List.of(), List.of(), 42L, null, null));
                    Thread.sleep(100);
                    return live.received.stream().anyMatch(m -> m.path("type").asText().equals("metrics"));
                });
                JsonNode sample = live.await(m -> m.path("type").asText().equals("metrics"), "sample");
                assertThat(sample.path("server_id").asText()).isEqualTo(serverId);
                assertThat(sample.path("uptime_seconds").asLong()).isEqualTo(42L);
            }
            live.await(m -> m.path("type").asText().equals("server_status") && m.path("status").asText().equals("offline"), "offline");
        }
    }

    @Test
    void an_agent_that_moves_to_the_other_instance_replaces_its_old_link_there_and_stays_online() throws Exception {
        try (TestAgent first = new TestAgent(a.port()).auth(key)) {
            first.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            try (TestAgent second = new TestAgent(b.port()).auth(key)) {
                second.await(AuthSuccess.class);
                assertThat(first.awaitClose()).isEqualTo(AgentEndpoint.CLOSE_REPLACED);
                Thread.sleep(1_200); // longer than the view of other instances' agents may be stale
                assertThat(status(apiA)).isEqualTo("online");
                assertThat(status(apiB)).isEqualTo("online");

                // Requests now go to the instance the agent moved to, from either.
                CompletableFuture<Api.Response> call = async(() -> apiA.as(operator, "POST",
                        "/api/v1/servers/" + serverId + "/commands?wait=true",
                        "{\"command\":\"uptime\",\"timeout_seconds\":10}"));
                Command command = second.await(Command.class);
                second.send(new CommandResponse(command.id(), 0, "up\n", "", 3, false, false, null));
                assertThat(call.join().body().path("stdout").asText()).isEqualTo("up\n");
            }
        }
    }

    @Test
    void a_clone_on_another_host_is_refused_whichever_instance_it_reaches() throws Exception {
        AgentInfo clone = new AgentInfo("1.0.0", "web-02", "9d9d9d9d", null, null, null, null, 1, 1, null, null, List.of("metrics"));
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            try (TestAgent second = new TestAgent(b.port()).auth(key, clone)) {
                assertThat(second.await(AuthError.class).code()).isEqualTo(AuthError.Code.DUPLICATE_AGENT);
            }
            agent.send(cpu(1, 5));
            assertThat(agent.await(MetricsAck.class).seq()).isEqualTo(1);
        }
    }

    @Test
    void a_command_in_flight_through_an_instance_that_stops_is_answered_at_once() throws Exception {
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            CompletableFuture<Api.Response> call = async(() -> apiB.as(operator, "POST",
                    "/api/v1/servers/" + serverId + "/commands?wait=true",
                    "{\"command\":\"sleep 600\",\"timeout_seconds\":600}"));
            agent.await(Command.class);
            long stoppedAt = System.nanoTime();
            a.close();
            a = null;
            Api.Response answer = call.get(TestSocket.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.errorMessage()).contains("may still be running");
            assertThat(System.nanoTime() - stoppedAt).as("long before the command's own timeout").isLessThan(15_000_000_000L);
            JsonNode record = apiB.as(operator, "GET", "/api/v1/servers/" + serverId + "/commands", null).body().get(0);
            assertThat(record.path("status").asText()).isEqualTo("error");
            assertThat(record.path("error").asText()).contains("the hub instance that held the agent stopped");
        }
    }

    @Test
    void a_command_whose_instance_stops_while_it_runs_is_recorded_by_the_instance_that_holds_the_agent() throws Exception {
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            Api.Response started = apiB.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands",
                    "{\"command\":\"sleep 1\",\"timeout_seconds\":60}");
            String id = started.body().path("id").asText();
            Command command = agent.await(Command.class, c -> c.id().equals(id));
            b.close();
            b = null;
            agent.send(new CommandResponse(command.id(), 0, "slept\n", "", 1000, false, false, null));
            eventually(() -> apiA.as(operator, "GET", "/api/v1/commands/" + id, null).body().path("status").asText().equals("succeeded"));
            assertThat(apiA.as(operator, "GET", "/api/v1/commands/" + id, null).body().path("stdout").asText()).isEqualTo("slept\n");
        }
    }

    @Test
    void when_an_instance_leaves_its_agents_show_offline_until_they_reconnect_to_another() throws Exception {
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            a.close();
            a = null;
            assertThat(agent.awaitClose()).isEqualTo(AgentEndpoint.CLOSE_GOING_AWAY);
        }
        eventually(() -> status(apiB).equals("offline"));
        Api.Response refused = apiB.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands", "{\"command\":\"uptime\"}");
        assertThat(refused.status()).isEqualTo(503);
        try (TestAgent back = new TestAgent(b.port()).auth(key)) {
            back.await(AuthSuccess.class);
            assertThat(status(apiB)).isEqualTo("online");
        }
    }

    @Test
    void an_alert_follows_its_server_to_the_other_instance_and_each_notice_is_sent_once() throws Exception {
        List<String> hooks = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String channel = apiB.as(operator, "POST", "/api/v1/notification-channels", "{\"name\":\"hook\",\"type\":\"webhook\","
                    + "\"config\":{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}}").body().path("id").asText();
            assertThat(apiB.as(operator, "POST", "/api/v1/alert-rules", """
                    {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s"]}"""
                    .formatted(channel)).status()).isEqualTo(201);
            Thread.sleep(500); // the rule reaches the other instance through the database

            try (TestAgent first = new TestAgent(a.port()).auth(key)) {
                first.await(AuthSuccess.class);
                first.send(cpu(1, 99));
                eventually(() -> hooks.size() == 1);
                first.send(cpu(2, 99)); // still firing: nothing new to tell
                try (TestAgent second = new TestAgent(b.port()).auth(key)) {
                    second.await(AuthSuccess.class);
                    second.send(cpu(3, 99));
                    second.send(cpu(4, 10));
                    eventually(() -> hooks.size() == 2);
                }
            }
            Thread.sleep(2_000); // both instances deliver: a notice sent twice would arrive by now
            assertThat(hooks).hasSize(2);
            assertThat(hooks.get(0)).contains("\"firing\"");
            assertThat(hooks.get(1)).contains("\"resolved\"");
            JsonNode alerts = apiA.as(operator, "GET", "/api/v1/alerts?state=firing,pending,resolved", null).body();
            assertThat(alerts).as("one alert, opened on one instance and resolved on the other").hasSize(1);
            assertThat(alerts.get(0).path("state").asText()).isEqualTo("resolved");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void a_container_stopped_through_one_instance_is_no_incident_on_the_instance_that_holds_its_agent() throws Exception {
        assertThat(apiB.as(operator, "POST", "/api/v1/alert-rules", "{\"name\":\"web\",\"kind\":\"container\",\"container\":\"nginx\"}")
                .status()).isEqualTo(201);
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            agent.send(new Containers(Instant.now(), List.of(NGINX)));
            CompletableFuture<Api.Response> stop = async(() -> apiB.as(operator, "POST",
                    "/api/v1/servers/" + serverId + "/containers/nginx/stop", null));
            DockerCommand command = agent.await(DockerCommand.class, c -> c.action() == DockerCommand.Action.STOP);
            ContainerInfo exited = new ContainerInfo(NGINX.id(), "nginx", NGINX.image(), "exited", "Exited (0)", null, NGINX.created(),
                    0, List.of(), null, null);
            agent.send(new Containers(Instant.now(), List.of(exited))); // the agent reports the exit before it answers
            agent.send(new DockerResponse(command.id(), true, new DockerResult(null, exited, null, null), null));
            assertThat(stop.join().status()).isEqualTo(200);
            a.services().alerts().settle();
            assertThat(apiA.as(operator, "GET", "/api/v1/alerts?state=firing,pending", null).body()).isEmpty();
        }
    }

    @Test
    void failed_sign_ins_count_on_every_instance() throws Exception {
        for (int i = 0; i < 10; i++) {
            Api api = i % 2 == 0 ? apiA : apiB;
            assertThat(api.call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"guess " + i + "\"}").status())
                    .isEqualTo(401);
        }
        assertThat(apiB.call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestHubs.ADMIN_PASSWORD + "\"}")
                .status()).isEqualTo(429);
    }

    @Test
    void chat_messages_count_toward_one_limit_on_every_instance() throws Exception {
        for (int i = 0; i < 30; i++) {
            Api api = i % 2 == 0 ? apiA : apiB;
            assertThat(api.as(operator, "POST", "/api/v1/chat/messages", "{\"text\":\"hello " + i + "\"}").status()).isEqualTo(201);
        }
        assertThat(apiB.as(operator, "POST", "/api/v1/chat/messages", "{\"text\":\"one more\"}").status()).isEqualTo(429);
    }

    @Test
    void a_chat_job_is_shown_and_cancelled_on_either_instance_and_finished_by_the_other_when_its_instance_stops() throws Exception {
        try (TestAgent agent = new TestAgent(a.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            eventually(() -> status(apiB).equals("online"));
            JsonNode answer = chat(apiB, "run web-01 -- uptime");
            String job = answer.path("job_id").asText();
            assertThat(job).startsWith("j-");
            Command command = agent.await(Command.class);

            assertThat(chat(apiA, "jobs").path("text").asText()).contains(job + "  ").contains("running ");
            assertThat(chat(apiA, "jobs " + job).path("text").asText()).contains("web-01  running…");
            assertThat(chat(apiA, "cancel " + job).path("text").asText()).contains("asked 1 server to cancel job " + job);
            assertThat(agent.await(CommandCancel.class).id()).isEqualTo(command.id());

            b.close(); // the instance that runs the job stops before the server answered
            b = null;
            agent.send(new CommandResponse(command.id(), null, " 10:00 up 1 day\n", "", 900, false, false,
                    new CommandResponse.Failure(CommandResponse.ErrorCode.CANCELLED, "cancelled")));
            eventually(() -> {
                a.services().chat().finishOrphanedJobs(); // as the leading instance does every few seconds
                return message(apiA, answer.path("id").asText()).path("text").asText().contains("done, 0 succeeded, 1 did not");
            });
            assertThat(message(apiA, answer.path("id").asText()).path("text").asText()).contains("web-01  cancelled");
            assertThat(chat(apiA, "jobs").path("text").asText()).contains(job + "  ").contains("done ");
        }
    }

    /** Posts {@code text} in the chat room through {@code api} and returns the bot's first answer to it. */
    private JsonNode chat(Api api, String text) throws Exception {
        Api.Response posted = api.as(operator, "POST", "/api/v1/chat/messages", Api.JSON.createObjectNode().put("text", text).toString());
        assertThat(posted.status()).isEqualTo(201);
        String id = posted.body().path("id").asText();
        JsonNode[] answer = new JsonNode[1];
        eventually(() -> {
            for (JsonNode message : api.as(operator, "GET", "/api/v1/chat/messages", null).body()) {
                if (id.equals(message.path("reply_to").asText())) {
                    answer[0] = message;
                }
            }
            return answer[0] != null;
        });
        return answer[0];
    }

    private JsonNode message(Api api, String id) throws Exception {
        for (JsonNode message : api.as(operator, "GET", "/api/v1/chat/messages", null).body()) {
            if (id.equals(message.path("id").asText())) {
                return message;
            }
        }
        return Api.JSON.createObjectNode();
    }

    private static Metrics cpu(long seq, double percent) {
        return new Metrics(seq, Instant.now(), 5, new CpuUsage(percent, List.of(percent), 0.1, 0.1, 0.1), null, List.of(), List.of(),
                10L, null, null);
    }

    /** An API call on another thread, for a test that must act while the call waits. */
    private static CompletableFuture<Api.Response> async(Callable<Api.Response> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String status(Api api) throws Exception {
        return api.as(operator, "GET", "/api/v1/servers/" + serverId, null).body().path("status").asText();
    }

    private TestSocket<JsonNode> live(Hub hub) {
        return new TestSocket<>(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + hub.port() + "/api/v1/live?token=" + operator),
                Api.JSON::readTree);
    }

    private static void eventually(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TestSocket.WAIT.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition still false after %s", TestSocket.WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
