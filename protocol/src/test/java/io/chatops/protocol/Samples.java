package io.chatops.protocol;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One realistic instance of every message, named after its golden file. */
final class Samples {
    private Samples() {
    }

    static final AgentInfo AGENT = new AgentInfo("1.0.0", "web-01", "4c4c4544003957108052b4c04f384833",
            "Debian GNU/Linux 12", "6.1.0-18-amd64", "amd64", "AMD EPYC 7B13", 8, 16_777_216_000L,
            Instant.parse("2026-11-20T08:00:00Z"), "24.0.7",
            List.of(Capability.METRICS, Capability.DOCKER, Capability.DOCKER_CONTROL, Capability.EXEC));

    static final ContainerInfo NGINX = new ContainerInfo("3f2a9c1b7d8e", "nginx", "nginx:1.27", "running",
            "Up 3 hours", "healthy", Instant.parse("2026-11-25T22:00:00Z"), 0,
            List.of(new PortMapping(80, 8080, "tcp")), 0.4, 12_582_912L);

    static final ContainerInfo WORKER = new ContainerInfo("9b7e0c2d4f6a", "worker", "busybox:latest", "exited",
            "Exited (0) 2 minutes ago", null, Instant.parse("2026-11-25T21:00:00Z"), 2, List.of(), null, null);

    static Map<String, Message> all() {
        Map<String, Message> samples = new LinkedHashMap<>();
        samples.put("auth", new Auth("cok_3yQa8PbX0c2LmN4rT6vW8yZ1b3D5f7H9j1K3m5P7r9", 1, AGENT));
        samples.put("auth_success", new AuthSuccess("9f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "web-01", 1, 5, 1234));
        samples.put("auth_error", new AuthError(AuthError.Code.INVALID_KEY, "API key is unknown or revoked"));
        samples.put("metrics", new Metrics(1235, Instant.parse("2026-11-26T01:00:05Z"), 5,
                new CpuUsage(12.5, List.of(10.0, 15.0), 0.42, 0.30, 0.25),
                new MemoryUsage(16_777_216_000L, 4_294_967_296L, 12_482_248_704L, 25.6, 0, 0),
                List.of(new DiskUsage("/", "/dev/vda1", "ext4", 53_687_091_200L, 10_737_418_240L,
                        42_949_672_960L, 20.0)),
                List.of(new InterfaceCounters("eth0", 123_456, 654_321, 1000, 2000, 0, 0)),
                432_000L, new ContainerCounts(3, 1), null));
        samples.put("metrics-with-errors", new Metrics(7, Instant.parse("2026-11-26T01:00:10.250Z"), 5,
                new CpuUsage(0.0, List.of(0.0), 0.0, 0.0, 0.0),
                new MemoryUsage(1_073_741_824L, 536_870_912L, 536_870_912L, 50.0, 2_147_483_648L, 1024),
                List.of(), List.of(new InterfaceCounters("lo", 0, 0, 0, 0, 0, 0)), 60L, null,
                List.of(new CollectorError("disk", "/mnt/nfs did not answer within 1 s"))));
        samples.put("metrics-every-part", new Metrics(1236, Instant.parse("2026-11-26T01:00:10Z"), 5,
                new CpuUsage(97.5, List.of(96.0, 99.0), 3.1, 1.2, 0.4),
                new MemoryUsage(16_777_216_000L, 4_294_967_296L, 12_482_248_704L, 25.6, 0, 0),
                List.of(new DiskUsage("/", "/dev/vda1", "ext4", 53_687_091_200L, 10_737_418_240L, 42_949_672_960L, 20.0)),
                List.of(new InterfaceCounters("eth0", 123_456, 654_321, 1000, 2000, 0, 0)),
                432_005L, null, null,
                List.of(new DiskIo("vda", List.of("/", "/var/lib/docker"), 1_048_576.0, 524_288.5, 12.4, 40.2, 31.25),
                        new DiskIo("dm-0", List.of(), 0.0, 0.0, 0.0, 0.0, 0.0)),
                List.of(new Temperature("coretemp Package id 0", 61.0, 80.0, 100.0), new Temperature("acpitz", 27.8, null, 119.0)),
                new Pressure(14.67, 0.02, 0.0, 3.5, 1.25),
                new TcpStats(42, 57, 83, 0, 1.6, 3.2, 0.2),
                new ServiceStates(41, 1, 0, 0, 63, 2, 0, List.of("backup.service", "certbot.service"))));
        samples.put("metrics_ack", new MetricsAck(1235));
        samples.put("processes_request", new ProcessesRequest("p-3c9e", ProcessesRequest.Sort.CPU, 10));
        samples.put("processes", new ProcessList("p-3c9e", Instant.parse("2026-11-26T01:00:06.500Z"), 500, 212, List.of(
                new ProcessList.ProcessInfo(4121, "postgres", "postgres: 16/main: checkpointer", 97.2, 268_435_456L),
                new ProcessList.ProcessInfo(1, "root", "/sbin/init", 0.0, 12_582_912L))));
        samples.put("settings", new Settings(10));
        samples.put("containers", new Containers(Instant.parse("2026-11-26T01:00:07Z"), List.of(NGINX, WORKER)));
        samples.put("command", new Command("c-7b1e4d2a", "df -h", 60, true));
        samples.put("command_output", new CommandOutput("c-7b1e4d2a", OutputStreamName.STDOUT,
                "Filesystem      Size  Used Avail Use% Mounted on\n"));
        samples.put("command_response", new CommandResponse("c-7b1e4d2a", 0,
                "Filesystem      Size  Used Avail Use% Mounted on\n/dev/vda1        50G   10G   40G  20% /\n", "",
                12, false, false, null));
        samples.put("command_response-error", CommandResponse.failed("c-9d0f", CommandResponse.ErrorCode.NOT_ALLOWED,
                "command does not match -exec-allow", "", "", 0, false));
        samples.put("command_cancel", new CommandCancel("c-7b1e4d2a"));
        samples.put("docker_command", new DockerCommand("d-51a0", DockerCommand.Action.RESTART, "nginx", 10, null, null));
        samples.put("docker_command-logs", new DockerCommand("d-51a1", DockerCommand.Action.LOGS, "3f2a9c1b7d8e", null,
                100, Instant.parse("2026-11-26T00:00:00Z")));
        samples.put("docker_response", DockerResponse.success("d-51a0", DockerResult.ofContainer(NGINX)));
        samples.put("docker_response-list", DockerResponse.success("d-51a2", DockerResult.ofContainers(List.of(NGINX, WORKER))));
        samples.put("docker_response-inspect", DockerResponse.success("d-51a3", DockerResult.ofInspect(NGINX,
                inspectConfig())));
        samples.put("docker_response-logs", DockerResponse.success("d-51a1", DockerResult.ofLines(List.of(
                new LogLine(OutputStreamName.STDOUT, Instant.parse("2026-11-26T00:59:58.123456789Z"), "GET / 200"),
                new LogLine(OutputStreamName.STDERR, null, "worker exited")))));
        samples.put("docker_response-error", DockerResponse.failure("d-51a4", DockerResponse.ErrorCode.NOT_FOUND,
                "no container named 'nginx2'"));
        samples.put("error", new ErrorMessage(null, "bad_message", "field 'seq' must be a positive integer"));
        return samples;
    }

    private static Map<String, Object> inspectConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", "3f2a9c1b7d8e");
        config.put("Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        config.put("Cmd", List.of("nginx", "-g", "daemon off;"));
        config.put("Healthcheck", null);
        config.put("Labels", Map.of("maintainer", "NGINX Docker Maintainers"));
        return config;
    }
}
