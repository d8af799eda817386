package io.chatops.hub.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.http.ApiError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.DockerCommand;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The services check the actor's role themselves: a front end that forgets to cannot let a viewer act. */
class CommandServiceTest {
    static final Actor VIEWER_IN_SLACK = new Actor("u-1", "vera", Role.VIEWER, Actor.Source.SLACK, "U024BE7LH");
    static final Actor OPERATOR_IN_CHAT = new Actor("u-2", "otto", Role.OPERATOR, Actor.Source.WEB_CHAT, "127.0.0.1");

    @TempDir
    Path dataDir;

    Hub hub;
    String serverId;
    String key;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void a_viewer_cannot_run_a_command_or_control_a_container_whatever_the_front_end() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            CommandService commands = hub.services().commands();

            assertThatThrownBy(() -> commands.run(VIEWER_IN_SLACK, serverId, "uptime", Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(403))
                    .hasMessage("this needs the operator role; you are viewer");
            assertThatThrownBy(() -> hub.services().docker().control(VIEWER_IN_SLACK, serverId, DockerCommand.Action.STOP, "nginx"))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(403));
            assertThatThrownBy(() -> commands.run(Actor.anonymous("mallory", Actor.Source.MATTERMOST, "x"), serverId, "id",
                    Duration.ofSeconds(5))).hasMessage("this needs the operator role; you are not signed in");
            assertThat(commands.history(VIEWER_IN_SLACK, serverId, 10)).isEmpty();
            assertThat(agent.received).noneMatch(m -> m instanceof Command || m instanceof DockerCommand);
        }
    }

    @Test
    void an_operator_s_command_is_audited_with_the_front_end_it_came_through() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            CommandService.Started started = hub.services().commands().run(OPERATOR_IN_CHAT, serverId, "uptime", Duration.ofSeconds(5));
            agent.await(Command.class);
            agent.send(new CommandResponse(started.id(), 0, "up 3 days\n", "", 4, false, false, null));

            CommandRecord done = started.finished().join();
            assertThat(done.status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(done.username()).isEqualTo("otto");
        }
        String admin = TestHubs.token(hub, Clock.systemUTC(), "ada", Role.ADMIN);
        var audit = new Api(hub.port()).as(admin, "GET", "/api/v1/audit?action=command", null).body();
        assertThat(audit.findValuesAsText("outcome")).containsExactlyInAnyOrder("succeeded", "started");
        assertThat(audit.findValuesAsText("source")).containsOnly("web_chat");
        assertThat(audit.findValuesAsText("user")).containsOnly("otto");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void a_command_left_running_by_a_hub_that_stopped_ends_at_its_deadline_after_the_restart(String kind) throws Exception {
        hub.close();
        MutableClock clock = new MutableClock();
        try (TestDatabases.TestDatabase database = TestDatabases.fresh(kind)) {
            String[] dbArgs = database.url() == null ? new String[0] : new String[] {"--db-url", database.url()};
            hub = TestHubs.start(dataDir, clock, dbArgs);
            serverId = hub.servers().create("web-02", List.of()).id();
            key = hub.servers().createKey(serverId, "k", null).key();
            String id;
            try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
                agent.await(AuthSuccess.class);
                id = hub.services().commands().run(OPERATOR_IN_CHAT, serverId, "sleep 600", Duration.ofSeconds(60)).id();
                agent.await(Command.class);
                hub.close(); // before the agent answered: nothing here will ever hear its answer
            }
            hub = TestHubs.start(dataDir, clock, dbArgs);
            CommandService commands = hub.services().commands();
            commands.endAbandoned();
            assertThat(commands.find(OPERATOR_IN_CHAT, id).status()).as("before its deadline").isEqualTo(CommandStatus.RUNNING);
            clock.advance(Duration.ofSeconds(60).plus(CommandService.ANSWER_GRACE).plusSeconds(1));
            commands.endAbandoned();
            CommandRecord ended = commands.find(OPERATOR_IN_CHAT, id);
            assertThat(ended.status()).isEqualTo(CommandStatus.ERROR);
            assertThat(ended.error()).contains("the hub instance that ran the command stopped before its answer came");
            assertThat(ended.finishedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            hub.close();
            hub = TestHubs.start(dataDir, Clock.systemUTC()); // for stop(), on SQLite, before the schema goes
        }
    }
}
