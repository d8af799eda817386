package io.chatops.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes each message type as JSON, field by field, in the order of PROTOCOL.md. Optional fields
 * are left out when absent, except those the protocol shows as explicit nulls ({@code exit_code},
 * {@code error}, {@code result}, container {@code health}, {@code cpu_percent}, {@code memory_bytes}
 * and the {@code id} of {@code error}).
 */
final class MessageWriter {
    private final JsonGenerator out;

    MessageWriter(JsonGenerator out) {
        this.out = out;
    }

    void write(Message message) throws IOException {
        out.writeStartObject();
        if (message instanceof Auth) {
            Auth m = (Auth) message;
            type("auth");
            string("api_key", m.apiKey());
            number("protocol", m.protocol());
            out.writeFieldName("agent");
            agent(m.agent());
        } else if (message instanceof AuthSuccess) {
            AuthSuccess m = (AuthSuccess) message;
            type("auth_success");
            string("server_id", m.serverId());
            string("server_name", m.serverName());
            number("protocol", m.protocol());
            number("metrics_interval_seconds", m.metricsIntervalSeconds());
            number("last_seq", m.lastSeq());
        } else if (message instanceof AuthError) {
            AuthError m = (AuthError) message;
            type("auth_error");
            string("code", Fields.wireName(m.code()));
            string("message", m.message());
        } else if (message instanceof Metrics) {
            metrics((Metrics) message);
        } else if (message instanceof MetricsAck) {
            type("metrics_ack");
            number("seq", ((MetricsAck) message).seq());
        } else if (message instanceof Containers) {
            Containers m = (Containers) message;
            type("containers");
            instant("timestamp", m.timestamp());
            containers("containers", m.containers());
        } else if (message instanceof Command) {
            Command m = (Command) message;
            type("command");
            string("id", m.id());
            string("command", m.command());
            number("timeout_seconds", m.timeoutSeconds());
            out.writeBooleanField("stream", m.stream());
        } else if (message instanceof CommandOutput) {
            CommandOutput m = (CommandOutput) message;
            type("command_output");
            string("id", m.id());
            string("stream", Fields.wireName(m.stream()));
            string("data", m.data());
        } else if (message instanceof CommandResponse) {
            commandResponse((CommandResponse) message);
        } else if (message instanceof CommandCancel) {
            type("command_cancel");
            string("id", ((CommandCancel) message).id());
        } else if (message instanceof DockerCommand) {
            DockerCommand m = (DockerCommand) message;
            type("docker_command");
            string("id", m.id());
            string("action", Fields.wireName(m.action()));
            optionalString("container", m.container());
            optionalNumber("timeout_seconds", m.timeoutSeconds());
            optionalNumber("tail", m.tail());
            if (m.since() != null) {
                instant("since", m.since());
            }
        } else if (message instanceof DockerResponse) {
            dockerResponse((DockerResponse) message);
        } else if (message instanceof ErrorMessage) {
            ErrorMessage m = (ErrorMessage) message;
            type("error");
            nullableString("id", m.id());
            string("code", m.code());
            string("message", m.message());
        } else if (message instanceof Settings) {
            type("settings");
            number("metrics_interval_seconds", ((Settings) message).metricsIntervalSeconds());
        } else if (message instanceof ProcessesRequest) {
            ProcessesRequest m = (ProcessesRequest) message;
            type("processes_request");
            string("id", m.id());
            string("sort", Fields.wireName(m.sort()));
            number("limit", m.limit());
        } else if (message instanceof ProcessList) {
            ProcessList m = (ProcessList) message;
            type("processes");
            string("id", m.id());
            instant("taken_at", m.takenAt());
            number("window_ms", m.windowMillis());
            number("total", m.total());
            out.writeArrayFieldStart("processes");
            for (ProcessList.ProcessInfo p : m.processes()) {
                out.writeStartObject();
                number("pid", p.pid());
                string("user", p.user());
                string("command", p.command());
                decimal("cpu_percent", p.cpuPercent());
                number("memory_bytes", p.memoryBytes());
                out.writeEndObject();
            }
            out.writeEndArray();
        } else {
            throw new IllegalArgumentException("no writer for " + message.getClass().getName());
        }
        out.writeEndObject();
    }

    void agent(AgentInfo a) throws IOException {
        out.writeStartObject();
        string("version", a.version());
        string("hostname", a.hostname());
        optionalString("machine_id", a.machineId());
        optionalString("os", a.os());
        optionalString("kernel", a.kernel());
        optionalString("arch", a.arch());
        optionalString("cpu_model", a.cpuModel());
        number("cpu_cores", a.cpuCores());
        number("memory_total_bytes", a.memoryTotalBytes());
        if (a.bootTime() != null) {
            instant("boot_time", a.bootTime());
        }
        optionalString("docker_version", a.dockerVersion());
        out.writeArrayFieldStart("capabilities");
        for (String capability : a.capabilities()) {
            out.writeString(capability);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private void metrics(Metrics m) throws IOException {
        type("metrics");
        number("seq", m.seq());
        instant("timestamp", m.timestamp());
        number("interval_seconds", m.intervalSeconds());
        if (m.cpu() != null) {
            CpuUsage c = m.cpu();
            out.writeObjectFieldStart("cpu");
            decimal("usage_percent", c.usagePercent());
            out.writeArrayFieldStart("per_core_percent");
            for (double percent : c.perCorePercent()) {
                out.writeNumber(percent);
            }
            out.writeEndArray();
            decimal("load_1", c.load1());
            decimal("load_5", c.load5());
            decimal("load_15", c.load15());
            out.writeEndObject();
        }
        if (m.memory() != null) {
            MemoryUsage r = m.memory();
            out.writeObjectFieldStart("memory");
            number("total_bytes", r.totalBytes());
            number("used_bytes", r.usedBytes());
            number("available_bytes", r.availableBytes());
            decimal("usage_percent", r.usagePercent());
            number("swap_total_bytes", r.swapTotalBytes());
            number("swap_used_bytes", r.swapUsedBytes());
            out.writeEndObject();
        }
        out.writeArrayFieldStart("disks");
        for (DiskUsage d : m.disks()) {
            out.writeStartObject();
            string("mount", d.mount());
            string("device", d.device());
            string("fs_type", d.fsType());
            number("total_bytes", d.totalBytes());
            number("used_bytes", d.usedBytes());
            number("free_bytes", d.freeBytes());
            decimal("usage_percent", d.usagePercent());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("network");
        for (InterfaceCounters n : m.network()) {
            out.writeStartObject();
            string("interface", n.name());
            number("bytes_sent", n.bytesSent());
            number("bytes_recv", n.bytesRecv());
            number("packets_sent", n.packetsSent());
            number("packets_recv", n.packetsRecv());
            number("errors_in", n.errorsIn());
            number("errors_out", n.errorsOut());
            out.writeEndObject();
        }
        out.writeEndArray();
        optionalNumber("uptime_seconds", m.uptimeSeconds());
        if (m.containers() != null) {
            out.writeObjectFieldStart("containers");
            number("running", m.containers().running());
            number("stopped", m.containers().stopped());
            out.writeEndObject();
        }
        if (m.errors() != null) {
            out.writeArrayFieldStart("errors");
            for (CollectorError e : m.errors()) {
                out.writeStartObject();
                string("collector", e.collector());
                string("message", e.message());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        if (m.diskIo() != null) {
            out.writeArrayFieldStart("disk_io");
            for (DiskIo d : m.diskIo()) {
                out.writeStartObject();
                string("device", d.device());
                out.writeArrayFieldStart("mounts");
                for (String mount : d.mounts()) {
                    out.writeString(mount);
                }
                out.writeEndArray();
                decimal("read_bytes_per_second", d.readBytesPerSecond());
                decimal("write_bytes_per_second", d.writeBytesPerSecond());
                decimal("reads_per_second", d.readsPerSecond());
                decimal("writes_per_second", d.writesPerSecond());
                decimal("busy_percent", d.busyPercent());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        if (m.temperatures() != null) {
            out.writeArrayFieldStart("temperatures");
            for (Temperature t : m.temperatures()) {
                out.writeStartObject();
                string("sensor", t.sensor());
                decimal("celsius", t.celsius());
                optionalDecimal("high_celsius", t.highCelsius());
                optionalDecimal("critical_celsius", t.criticalCelsius());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        if (m.pressure() != null) {
            Pressure p = m.pressure();
            out.writeObjectFieldStart("pressure");
            optionalDecimal("cpu_some_avg10", p.cpuSomeAvg10());
            optionalDecimal("memory_some_avg10", p.memorySomeAvg10());
            optionalDecimal("memory_full_avg10", p.memoryFullAvg10());
            optionalDecimal("io_some_avg10", p.ioSomeAvg10());
            optionalDecimal("io_full_avg10", p.ioFullAvg10());
            out.writeEndObject();
        }
        if (m.tcp() != null) {
            TcpStats t = m.tcp();
            out.writeObjectFieldStart("tcp");
            number("established", t.established());
            number("in_use", t.inUse());
            number("time_wait", t.timeWait());
            number("orphans", t.orphans());
            optionalDecimal("active_opens_per_second", t.activeOpensPerSecond());
            optionalDecimal("passive_opens_per_second", t.passiveOpensPerSecond());
            optionalDecimal("retransmits_per_second", t.retransmitsPerSecond());
            out.writeEndObject();
        }
        if (m.services() != null) {
            ServiceStates s = m.services();
            out.writeObjectFieldStart("services");
            number("active", s.active());
            number("activating", s.activating());
            number("deactivating", s.deactivating());
            number("reloading", s.reloading());
            number("inactive", s.inactive());
            number("failed", s.failed());
            number("other", s.other());
            out.writeArrayFieldStart("failed_units");
            for (String unit : s.failedUnits()) {
                out.writeString(unit);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    private void commandResponse(CommandResponse m) throws IOException {
        type("command_response");
        string("id", m.id());
        out.writeFieldName("exit_code");
        if (m.exitCode() == null) {
            out.writeNull();
        } else {
            out.writeNumber(m.exitCode());
        }
        string("stdout", m.stdout());
        string("stderr", m.stderr());
        number("duration_ms", m.durationMs());
        out.writeBooleanField("timed_out", m.timedOut());
        out.writeBooleanField("truncated", m.truncated());
        out.writeFieldName("error");
        if (m.error() == null) {
            out.writeNull();
        } else {
            failure(Fields.wireName(m.error().code()), m.error().message());
        }
    }

    private void dockerResponse(DockerResponse m) throws IOException {
        type("docker_response");
        string("id", m.id());
        out.writeBooleanField("ok", m.ok());
        out.writeFieldName("result");
        DockerResult r = m.result();
        if (r == null) {
            out.writeNull();
        } else {
            out.writeStartObject();
            if (r.containers() != null) {
                containers("containers", r.containers());
            }
            if (r.container() != null) {
                out.writeFieldName("container");
                container(r.container());
            }
            if (r.config() != null) {
                out.writeFieldName("config");
                JsonTree.write(out, r.config());
            }
            if (r.lines() != null) {
                out.writeArrayFieldStart("lines");
                for (LogLine line : r.lines()) {
                    out.writeStartObject();
                    string("stream", Fields.wireName(line.stream()));
                    if (line.timestamp() != null) {
                        instant("timestamp", line.timestamp());
                    }
                    string("text", line.text());
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        }
        out.writeFieldName("error");
        if (m.error() == null) {
            out.writeNull();
        } else {
            failure(Fields.wireName(m.error().code()), m.error().message());
        }
    }

    private void containers(String name, List<ContainerInfo> containers) throws IOException {
        out.writeArrayFieldStart(name);
        for (ContainerInfo c : containers) {
            container(c);
        }
        out.writeEndArray();
    }

    private void container(ContainerInfo c) throws IOException {
        out.writeStartObject();
        string("id", c.id());
        string("name", c.name());
        string("image", c.image());
        string("state", c.state());
        string("status", c.status());
        nullableString("health", c.health());
        if (c.created() != null) {
            instant("created", c.created());
        }
        number("restart_count", c.restartCount());
        out.writeArrayFieldStart("ports");
        for (PortMapping p : c.ports()) {
            out.writeStartObject();
            number("private_port", p.privatePort());
            optionalNumber("public_port", p.publicPort());
            string("type", p.type());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeFieldName("cpu_percent");
        if (c.cpuPercent() == null) {
            out.writeNull();
        } else {
            out.writeNumber(c.cpuPercent());
        }
        out.writeFieldName("memory_bytes");
        if (c.memoryBytes() == null) {
            out.writeNull();
        } else {
            out.writeNumber(c.memoryBytes());
        }
        out.writeEndObject();
    }

    private void failure(String code, String message) throws IOException {
        out.writeStartObject();
        string("code", code);
        string("message", message);
        out.writeEndObject();
    }

    private void type(String type) throws IOException {
        out.writeStringField("type", type);
    }

    private void string(String name, String value) throws IOException {
        out.writeStringField(name, value);
    }

    private void optionalString(String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }

    private void nullableString(String name, String value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
        } else {
            out.writeString(value);
        }
    }

    private void number(String name, long value) throws IOException {
        out.writeNumberField(name, value);
    }

    private void optionalNumber(String name, Number value) throws IOException {
        if (value != null) {
            out.writeNumberField(name, value.longValue());
        }
    }

    private void decimal(String name, double value) throws IOException {
        out.writeNumberField(name, value);
    }

    private void optionalDecimal(String name, Double value) throws IOException {
        if (value != null) {
            out.writeNumberField(name, value);
        }
    }

    private void instant(String name, Instant value) throws IOException {
        out.writeStringField(name, DateTimeFormatter.ISO_INSTANT.format(value));
    }
}
