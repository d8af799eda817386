package io.chatops.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.LogLine;
import io.chatops.protocol.Message;
import io.chatops.protocol.OutputStreamName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real Docker engine, with test containers on network none. */
class DockerServiceTest {
    static final Path SOCKET = Path.of("/var/run/docker.sock");

    final DockerCli docker = new DockerCli();
    final List<Message> published = new CopyOnWriteArrayList<>();
    DockerService service;

    @TempDir
    Path dir;

    DockerService service(Path socket, boolean control) {
        service = DockerService.start(socket, control, published::add, Clock.systemUTC());
        return service;
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null) {
            service.close();
        }
        docker.close();
    }

    static DockerCommand command(DockerCommand.Action action, String container) {
        return new DockerCommand("d-1", action, container, 5, null, null);
    }

    static ContainerInfo container(DockerResponse response) {
        assertThat(response.error()).as("error").isNull();
        return response.result().container();
    }

    static void eventually(Supplier<Boolean> condition, String what) throws InterruptedException {
        eventually(condition, what, Duration.ofSeconds(30));
    }

    /**
     * What only an event can tell in time: half the watcher's refresh, which would tell it anyway
     * (a test waiting 30 s passed while events that came during a publish were lost).
     */
    static void soonAfterItsEvent(Supplier<Boolean> condition, String what) throws InterruptedException {
        eventually(condition, what, ContainerWatcher.REFRESH_EVERY.dividedBy(2));
    }

    static void eventually(Supplier<Boolean> condition, String what, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void lists_containers_with_state_image_and_status() throws Exception {
        String name = docker.run(false, "sleep 300");
        DockerResponse response = service(SOCKET, true).handle(new DockerCommand("d-1", DockerCommand.Action.LIST, null, null, null, null));

        ContainerInfo info = response.result().containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        assertThat(info.state()).isEqualTo("running");
        assertThat(info.image()).isEqualTo(DockerCli.IMAGE);
        assertThat(info.status()).startsWith("Up");
        assertThat(info.id()).hasSize(12);
        assertThat(info.health()).isNull();
        assertThat(info.memoryBytes()).isNotNull();
    }

    @Test
    void stop_start_and_restart_change_the_state_and_answer_with_the_container_after() throws Exception {
        String name = docker.run(false, "trap 'exit 0' TERM; while true; do sleep 1; done");
        DockerService docker = service(SOCKET, true);

        ContainerInfo stopped = container(docker.handle(command(DockerCommand.Action.STOP, name)));
        ContainerInfo started = container(docker.handle(command(DockerCommand.Action.START, name)));
        ContainerInfo restarted = container(docker.handle(command(DockerCommand.Action.RESTART, name)));

        assertThat(stopped.state()).isEqualTo("exited");
        assertThat(stopped.cpuPercent()).isNull();
        assertThat(started.state()).isEqualTo("running");
        assertThat(restarted.state()).isEqualTo("running");
        assertThat(restarted.name()).isEqualTo(name);
    }

    @Test
    void inspect_returns_the_container_and_its_configuration() throws Exception {
        String name = docker.run(false, "sleep 300");

        DockerResponse response = service(SOCKET, true).handle(command(DockerCommand.Action.INSPECT, name));

        assertThat(container(response).name()).isEqualTo(name);
        assertThat(response.result().config()).containsEntry("Image", DockerCli.IMAGE);
        assertThat(response.result().config().get("Cmd")).isEqualTo(List.of("sh", "-c", "sleep 300"));
    }

    @Test
    void logs_of_a_plain_container_keep_stdout_and_stderr_apart() throws Exception {
        String name = docker.run(false, "for i in 1 2 3 4 5; do echo out $i; echo err $i >&2; done; sleep 300");
        eventually(() -> logs(name, 200).size() == 10, "all ten lines are logged");

        List<LogLine> all = logs(name, 200);
        List<LogLine> tail = logs(name, 4);

        // Docker copies the two streams concurrently, so their order in its log file may vary.
        assertThat(tail).containsExactlyElementsOf(all.subList(6, 10));
        assertThat(all).allSatisfy(l -> assertThat(l.stream())
                .isEqualTo(l.text().startsWith("err") ? OutputStreamName.STDERR : OutputStreamName.STDOUT));
        assertThat(all).allSatisfy(l -> assertThat(l.timestamp()).isNotNull());
    }

    @Test
    void logs_of_a_tty_container_are_one_stream() throws Exception {
        String name = docker.run(true, "echo hello from tty; echo more >&2; sleep 300");
        eventually(() -> logs(name, 200).size() == 2, "both lines are logged");

        assertThat(logs(name, 200)).extracting(LogLine::text).containsExactly("hello from tty", "more");
        assertThat(logs(name, 200)).extracting(LogLine::stream).containsOnly(OutputStreamName.STDOUT);
    }

    @Test
    void logs_since_a_time_leave_out_older_lines() throws Exception {
        String name = docker.run(false, "echo early; sleep 2; echo late; sleep 300");
        eventually(() -> logs(name, 200).size() == 2, "both lines are logged");
        LogLine late = logs(name, 200).get(1);

        DockerResponse response = service.handle(new DockerCommand("d-2", DockerCommand.Action.LOGS, name, null, 200,
                late.timestamp().minusMillis(500)));

        assertThat(response.result().lines()).extracting(LogLine::text).containsExactly("late");
    }

    private List<LogLine> logs(String name, int tail) {
        if (service == null) {
            service(SOCKET, true);
        }
        DockerResponse response = service.handle(new DockerCommand("d-1", DockerCommand.Action.LOGS, name, null, tail, null));
        assertThat(response.error()).as("error").isNull();
        return response.result().lines();
    }

    @Test
    void bad_references_are_refused_before_docker_is_asked() {
        DockerService docker = service(dir.resolve("no-such.sock"), true);

        for (String bad : List.of("../../images/json", "a b", "-rm", "x?all=1", "名前", "a".repeat(129), "")) {
            DockerResponse response = docker.handle(command(DockerCommand.Action.RESTART, bad));
            assertThat(response.error().code()).as(bad).isEqualTo(DockerResponse.ErrorCode.INVALID_CONTAINER);
        }
    }

    @Test
    void unknown_containers_are_not_found() {
        DockerResponse response = service(SOCKET, true).handle(command(DockerCommand.Action.INSPECT, "chatops-test-nonexistent"));

        assertThat(response.ok()).isFalse();
        assertThat(response.error().code()).isEqualTo(DockerResponse.ErrorCode.NOT_FOUND);
    }

    @Test
    void with_control_disabled_only_reading_is_allowed() throws Exception {
        String name = docker.run(false, "sleep 300");
        DockerService readOnly = service(SOCKET, false);

        assertThat(readOnly.handle(command(DockerCommand.Action.STOP, name)).error().code())
                .isEqualTo(DockerResponse.ErrorCode.DOCKER_CONTROL_DISABLED);
        assertThat(readOnly.handle(command(DockerCommand.Action.INSPECT, name)).ok()).isTrue();
        assertThat(readOnly.handle(command(DockerCommand.Action.LOGS, name)).ok()).isTrue();
        assertThat(docker.exec("inspect", "-f", "{{.State.Status}}", name)).isEqualTo("running");
    }

    @Test
    void without_docker_every_answer_says_unavailable_and_it_recovers_when_docker_appears() throws Exception {
        Path socket = dir.resolve("docker.sock");
        DockerService docker = service(socket, true);

        DockerResponse before = docker.handle(command(DockerCommand.Action.LIST, null));
        assertThat(before.error().code()).isEqualTo(DockerResponse.ErrorCode.DOCKER_UNAVAILABLE);
        assertThat(docker.watcher().counts()).isNull();

        Files.createSymbolicLink(socket, SOCKET); // Docker "comes up" at the configured path
        eventually(() -> docker.watcher().counts() != null, "the watcher finds Docker");

        assertThat(docker.handle(command(DockerCommand.Action.LIST, null)).ok()).isTrue();
        assertThat(docker.watcher().version()).isNotBlank();
    }

    @Test
    void the_docker_daemon_restarted_under_the_agent_is_followed_again_and_answers_meanwhile_say_unavailable() throws Exception {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "dkr");
        try (PrivateDockerd daemon = new PrivateDockerd(home)) {
            // Restarted with the daemon, as a service container is; it stops within 1 s when the daemon stops.
            String survivor = daemon.cli("run", "-d", "--network", "none", "--restart", "always", "--stop-timeout", "1",
                    "--name", "survivor", DockerCli.IMAGE, "sleep", "300").substring(0, 12);
            DockerService docker = service(daemon.socket(), true);
            eventually(() -> lists(survivor, "running"), "the survivor is listed running");
            long threadsBefore = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("docker")).count();

            daemon.stop();
            eventually(() -> docker.watcher().counts() == null, "the watcher sees Docker gone");
            long asked = System.nanoTime();
            DockerResponse meanwhile = docker.handle(command(DockerCommand.Action.LIST, null));
            assertThat(meanwhile.error().code()).isEqualTo(DockerResponse.ErrorCode.DOCKER_UNAVAILABLE);
            assertThat(System.nanoTime() - asked).as("answered at once").isLessThan(TimeUnit.SECONDS.toNanos(2));

            published.clear();
            daemon.start();
            eventually(() -> lists(survivor, "running"), "the survivor is listed running again, after the daemon's restart");
            assertThat(docker.watcher().counts()).isNotNull();
            assertThat(container(docker.handle(command(DockerCommand.Action.STOP, "survivor"))).state()).isEqualTo("exited");
            // Started behind the agent's back: only the new event stream tells it, well before the 30 s refresh.
            String newcomer = daemon.cli("run", "-d", "--network", "none", "--name", "newcomer", DockerCli.IMAGE, "sleep", "300")
                    .substring(0, 12);
            soonAfterItsEvent(() -> lists(newcomer, "running"), "the newcomer is listed");
            long threadsAfter = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("docker")).count();
            assertThat(threadsAfter).as("no thread left behind").isEqualTo(threadsBefore);
        }
    }

    private boolean lists(String idPrefix, String state) {
        return published.stream().anyMatch(m -> m instanceof Containers list
                && list.containers().stream().anyMatch(c -> c.id().startsWith(idPrefix) && c.state().equals(state)));
    }

    @Test
    void a_container_event_publishes_the_new_list_and_counts() throws Exception {
        DockerService docker = service(SOCKET, true);
        eventually(() -> docker.watcher().counts() != null, "the watcher connects");
        published.clear();

        String name = this.docker.run(false, "sleep 300");

        soonAfterItsEvent(() -> published.stream().anyMatch(m -> m instanceof Containers
                && ((Containers) m).containers().stream().anyMatch(c -> c.name().equals(name) && c.state().equals("running"))),
                "a containers message lists " + name);
        assertThat(docker.watcher().counts().running()).isPositive();
    }

    @Test
    void running_containers_get_cpu_and_memory_figures() throws Exception {
        String name = docker.run(false, "while true; do :; done");
        ContainerCatalog catalog = new ContainerCatalog(new DockerClient(SOCKET));
        catalog.snapshot();
        Thread.sleep(Duration.ofMillis(500).toMillis());

        ContainerInfo busy = catalog.snapshot().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();

        assertThat(busy.cpuPercent()).isNotNull().isGreaterThan(20.0);
        assertThat(busy.memoryBytes()).isNotNull().isPositive();
    }
}
