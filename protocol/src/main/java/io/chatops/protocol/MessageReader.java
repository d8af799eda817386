package io.chatops.protocol;

import java.util.Map;
import java.util.function.Function;

/** Reads each message type from its JSON object, field by field (the inverse of {@link MessageWriter}). */
final class MessageReader {
    /** Every type of PROTOCOL.md and how to read it; a new type is added at the end. */
    static final Map<String, Function<Fields, Message>> BY_TYPE = Map.ofEntries(
            Map.entry("auth", MessageReader::auth),
            Map.entry("auth_success", MessageReader::authSuccess),
            Map.entry("auth_error", MessageReader::authError),
            Map.entry("metrics", MessageReader::metrics),
            Map.entry("metrics_ack", f -> f.build(() -> new MetricsAck(f.longValue("seq")))),
            Map.entry("containers", f -> f.build(() -> new Containers(f.instant("timestamp"),
                    f.list("containers", Fields.objects(MessageReader::container))))),
            Map.entry("command", f -> f.build(() -> new Command(f.string("id"), f.string("command"),
                    f.intValue("timeout_seconds"), f.optionalBool("stream")))),
            Map.entry("command_output", f -> f.build(() -> new CommandOutput(f.string("id"),
                    f.enumValue("stream", OutputStreamName.class), f.string("data")))),
            Map.entry("command_response", MessageReader::commandResponse),
            Map.entry("command_cancel", f -> f.build(() -> new CommandCancel(f.string("id")))),
            Map.entry("docker_command", f -> f.build(() -> new DockerCommand(f.string("id"),
                    f.enumValue("action", DockerCommand.Action.class), f.optionalString("container"),
                    f.optionalInt("timeout_seconds"), f.optionalInt("tail"), f.optionalInstant("since")))),
            Map.entry("docker_response", MessageReader::dockerResponse),
            Map.entry("error", f -> f.build(() -> new ErrorMessage(f.optionalString("id"), f.string("code"),
                    f.string("message")))),
            Map.entry("settings", f -> f.build(() -> new Settings(f.intValue("metrics_interval_seconds")))),
            Map.entry("processes_request", f -> f.build(() -> new ProcessesRequest(f.string("id"),
                    f.enumValue("sort", ProcessesRequest.Sort.class), f.intValue("limit")))),
            Map.entry("processes", f -> f.build(() -> new ProcessList(f.string("id"), f.instant("taken_at"), f.intValue("window_ms"),
                    f.intValue("total"), f.list("processes", Fields.objects(p -> p.build(() -> new ProcessList.ProcessInfo(p.intValue("pid"),
                            p.string("user"), p.string("command"), p.doubleValue("cpu_percent"), p.longValue("memory_bytes")))))))));

    private MessageReader() {
    }

    private static Message auth(Fields f) {
        return f.build(() -> new Auth(f.string("api_key"), f.intValue("protocol"), f.object("agent", MessageReader::agent)));
    }

    static AgentInfo agent(Fields a) {
        return a.build(() -> new AgentInfo(a.string("version"), a.string("hostname"), a.optionalString("machine_id"),
                a.optionalString("os"), a.optionalString("kernel"), a.optionalString("arch"),
                a.optionalString("cpu_model"), a.intValue("cpu_cores"), a.longValue("memory_total_bytes"),
                a.optionalInstant("boot_time"), a.optionalString("docker_version"),
                a.list("capabilities", Fields.STRINGS)));
    }

    private static Message authSuccess(Fields f) {
        return f.build(() -> new AuthSuccess(f.string("server_id"), f.string("server_name"), f.intValue("protocol"),
                f.intValue("metrics_interval_seconds"), f.longValue("last_seq")));
    }

    private static Message authError(Fields f) {
        return f.build(() -> new AuthError(f.enumValue("code", AuthError.Code.class), f.string("message")));
    }

    private static Message metrics(Fields f) {
        return f.build(() -> new Metrics(
                f.longValue("seq"),
                f.instant("timestamp"),
                f.intValue("interval_seconds"),
                f.optionalObject("cpu", c -> c.build(() -> new CpuUsage(c.doubleValue("usage_percent"),
                        c.list("per_core_percent", Fields.DOUBLES), c.doubleValue("load_1"), c.doubleValue("load_5"),
                        c.doubleValue("load_15")))),
                f.optionalObject("memory", m -> m.build(() -> new MemoryUsage(m.longValue("total_bytes"),
                        m.longValue("used_bytes"), m.longValue("available_bytes"), m.doubleValue("usage_percent"),
                        m.longValue("swap_total_bytes"), m.longValue("swap_used_bytes")))),
                f.list("disks", Fields.objects(d -> d.build(() -> new DiskUsage(d.string("mount"), d.string("device"),
                        d.string("fs_type"), d.longValue("total_bytes"), d.longValue("used_bytes"),
                        d.longValue("free_bytes"), d.doubleValue("usage_percent"))))),
                f.list("network", Fields.objects(n -> n.build(() -> new InterfaceCounters(n.string("interface"),
                        n.longValue("bytes_sent"), n.longValue("bytes_recv"), n.longValue("packets_sent"),
                        n.longValue("packets_recv"), n.longValue("errors_in"), n.longValue("errors_out"))))),
                f.optionalLong("uptime_seconds"),
                f.optionalObject("containers", c -> c.build(() -> new ContainerCounts(c.intValue("running"),
                        c.intValue("stopped")))),
                f.optionalList("errors", Fields.objects(e -> e.build(() -> new CollectorError(e.string("collector"),
                        e.string("message"))))),
                f.optionalList("disk_io", Fields.objects(d -> d.build(() -> new DiskIo(d.string("device"), d.list("mounts", Fields.STRINGS),
                        d.doubleValue("read_bytes_per_second"), d.doubleValue("write_bytes_per_second"), d.doubleValue("reads_per_second"),
                        d.doubleValue("writes_per_second"), d.doubleValue("busy_percent"))))),
                f.optionalList("temperatures", Fields.objects(t -> t.build(() -> new Temperature(t.string("sensor"),
                        t.doubleValue("celsius"), t.optionalDouble("high_celsius"), t.optionalDouble("critical_celsius"))))),
                f.optionalObject("pressure", p -> p.build(() -> new Pressure(p.optionalDouble("cpu_some_avg10"),
                        p.optionalDouble("memory_some_avg10"), p.optionalDouble("memory_full_avg10"), p.optionalDouble("io_some_avg10"),
                        p.optionalDouble("io_full_avg10")))),
                f.optionalObject("tcp", t -> t.build(() -> new TcpStats(t.longValue("established"), t.longValue("in_use"),
                        t.longValue("time_wait"), t.longValue("orphans"), t.optionalDouble("active_opens_per_second"),
                        t.optionalDouble("passive_opens_per_second"), t.optionalDouble("retransmits_per_second")))),
                f.optionalObject("services", s -> s.build(() -> new ServiceStates(s.intValue("active"), s.intValue("activating"),
                        s.intValue("deactivating"), s.intValue("reloading"), s.intValue("inactive"), s.intValue("failed"),
                        s.intValue("other"), s.list("failed_units", Fields.STRINGS))))));
    }

    static ContainerInfo container(Fields c) {
        return c.build(() -> new ContainerInfo(c.string("id"), c.string("name"), c.string("image"), c.string("state"),
                c.string("status"), c.optionalString("health"), c.optionalInstant("created"), c.intValue("restart_count"),
                c.list("ports", Fields.objects(p -> p.build(() -> new PortMapping(p.intValue("private_port"),
                        p.optionalInt("public_port"), p.string("type"))))),
                c.optionalDouble("cpu_percent"), c.optionalLong("memory_bytes")));
    }

    private static Message commandResponse(Fields f) {
        return f.build(() -> new CommandResponse(f.string("id"), f.optionalInt("exit_code"), f.string("stdout"),
                f.string("stderr"), f.longValue("duration_ms"), f.bool("timed_out"), f.bool("truncated"),
                f.optionalObject("error", e -> e.build(() -> new CommandResponse.Failure(
                        e.enumValue("code", CommandResponse.ErrorCode.class), e.string("message"))))));
    }

    private static Message dockerResponse(Fields f) {
        return f.build(() -> new DockerResponse(f.string("id"), f.bool("ok"),
                f.optionalObject("result", r -> r.build(() -> new DockerResult(
                        r.optionalList("containers", Fields.objects(MessageReader::container)),
                        r.optionalObject("container", MessageReader::container),
                        r.optionalMap("config"),
                        r.optionalList("lines", Fields.objects(l -> l.build(() -> new LogLine(
                                l.enumValue("stream", OutputStreamName.class), l.optionalInstant("timestamp"),
                                l.string("text")))))))),
                f.optionalObject("error", e -> e.build(() -> new DockerResponse.Failure(
                        e.enumValue("code", DockerResponse.ErrorCode.class), e.string("message"))))));
    }
}
