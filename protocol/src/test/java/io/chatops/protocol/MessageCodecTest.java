package io.chatops.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {
    private static final String ACK = "{\"type\":\"metrics_ack\",\"seq\":5}";
    private static final String COMMAND = "{\"type\":\"command\",\"id\":\"c-1\",\"command\":\"uptime\",\"timeout_seconds\":60}";
    private final MessageCodec codec = new MessageCodec();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        ``                                                       | frame is empty
        `   `                                                    | frame is empty
        {                                                        | malformed JSON at line 1, column 2: Unexpected end-of-input: expected close marker for Object
        {"type":"metrics_ack","seq":5                            | malformed JSON at line 1, column 30: Unexpected end-of-input: expected close marker for Object
        {"type":"metrics_ack","seq":5} {}                        | malformed JSON at line 1, column 33: unexpected data after the JSON value
        [1,2]                                                    | frame must be a JSON object
        "auth"                                                   | frame must be a JSON object
        {"seq":5}                                                | field 'type' is required
        {"type":null}                                            | field 'type' is required
        {"type":7}                                               | field 'type' must be a string
        {"type":"metrics_ack"}                                   | field 'seq' is required
        {"type":"metrics_ack","seq":null}                        | field 'seq' must not be null
        {"type":"metrics_ack","seq":0}                           | field 'seq' must be a positive integer
        {"type":"metrics_ack","seq":-3}                          | field 'seq' must be a positive integer
        {"type":"metrics_ack","seq":"5"}                         | field 'seq' must be an integer between -9223372036854775808 and 9223372036854775807
        {"type":"metrics_ack","seq":5.5}                         | field 'seq' must be an integer between -9223372036854775808 and 9223372036854775807
        {"type":"metrics_ack","seq":true}                        | field 'seq' must be an integer between -9223372036854775808 and 9223372036854775807
        {"type":"metrics_ack","seq":[5]}                         | field 'seq' must be an integer between -9223372036854775808 and 9223372036854775807
        {"type":"metrics_ack","seq":99999999999999999999999}     | field 'seq' must be an integer between -9223372036854775808 and 9223372036854775807
        {"type":"command","id":"c-1","command":"ls"}             | field 'timeout_seconds' is required
        {"type":"command","id":"c-1","command":"  ","timeout_seconds":5}   | field 'command' must not be blank
        {"type":"command","id":"c-1","command":5,"timeout_seconds":5}      | field 'command' must be a string
        {"type":"command","id":"c-1","command":"ls","timeout_seconds":0}   | field 'timeout_seconds' must be between 1 and 86400
        {"type":"command","id":"c-1","command":"ls","timeout_seconds":60,"stream":"yes"} | field 'stream' must be true or false
        {"type":"command_output","id":"c-1","stream":"stdin","data":"x"}   | field 'stream' must be one of stdout, stderr
        {"type":"docker_command","id":"d-1","action":"rm","container":"x"} | field 'action' must be one of list, inspect, start, stop, restart, logs
        {"type":"docker_command","id":"d-1","action":"stop"}               | field 'container' is required
        {"type":"docker_command","id":"d-1","action":"logs","container":"x","tail":10001} | field 'tail' must be between 1 and 10000
        {"type":"docker_command","id":"d-1","action":"logs","container":"x","since":"yesterday"} | field 'since' must be an RFC 3339 timestamp
        {"type":"auth_error","code":"nope","message":"m"}        | field 'code' must be one of invalid_key, expired_key, unsupported_protocol, auth_timeout, bad_message, duplicate_agent
        {"type":"containers","timestamp":"2026-11-26T01:00:00Z","containers":{}}  | field 'containers' must be an array
        {"type":"containers","timestamp":"2026-11-26T01:00:00Z","containers":[null]} | field 'containers[0]' must not be null
        {"type":"containers","timestamp":"2026-11-26T01:00:00Z","containers":[{"id":"a","name":"n","image":"i","state":"running","status":"Up","restart_count":0,"ports":[{"private_port":70000,"type":"tcp"}]}]} | field 'containers[0].ports[0].private_port' must be between 1 and 65535
        {"type":"docker_response","id":"d-1","ok":false}         | field 'error' is required
        {"type":"command_response","id":"c","exit_code":1,"stdout":"","stderr":"","duration_ms":1,"timed_out":false,"truncated":false,"error":{"code":"busy","message":"m"}} | field 'exit_code' must be null when error is set
        {"type":"metrics","seq":1,"timestamp":"2026-11-26T01:00:00Z","interval_seconds":5,"disks":[],"network":[],"disk_io":[{"device":"sda","mounts":[],"read_bytes_per_second":1,"write_bytes_per_second":1,"reads_per_second":1,"writes_per_second":1,"busy_percent":150}]} | field 'disk_io[0].busy_percent' must be a percentage between 0 and 100
        {"type":"metrics","seq":1,"timestamp":"2026-11-26T01:00:00Z","interval_seconds":5,"disks":[],"network":[],"disk_io":[{"device":"sda","mounts":[],"read_bytes_per_second":-1,"write_bytes_per_second":1,"reads_per_second":1,"writes_per_second":1,"busy_percent":1}]} | field 'disk_io[0].read_bytes_per_second' must be a finite number not below 0
        {"type":"metrics","seq":1,"timestamp":"2026-11-26T01:00:00Z","interval_seconds":5,"disks":[],"network":[],"temperatures":[{"sensor":"x","celsius":-300}]} | field 'temperatures[0].celsius' must be a temperature between -273.15 and 10000 degrees Celsius
        {"type":"metrics","seq":1,"timestamp":"2026-11-26T01:00:00Z","interval_seconds":5,"disks":[],"network":[],"services":{"active":1,"activating":0,"deactivating":0,"reloading":0,"inactive":0,"failed":0,"other":0,"failed_units":["a.service"]}} | field 'services.failed_units' names more units than failed (at most 100)
        {"type":"processes_request","id":"p-1","sort":"disk","limit":10} | field 'sort' must be one of cpu, memory
        {"type":"processes_request","id":"p-1","sort":"cpu","limit":101} | field 'limit' must be between 1 and 100
        {"type":"processes","id":"p-1","taken_at":"2026-11-26T01:00:00Z","window_ms":500,"total":1,"processes":[{"pid":0,"user":"u","command":"c","cpu_percent":1,"memory_bytes":1}]} | field 'processes[0].pid' must be between 1 and 2147483647
        """)
    void refuses_bad_frames_naming_the_problem(String frame, String problem) {
        assertThatThrownBy(() -> codec.decode(frame == null ? "" : frame))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessage(problem)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("bad_message");
    }

    @Test
    void the_utf8_encoding_of_text_beyond_ascii_and_escapes_is_the_same_frame() throws Exception {
        ErrorMessage message = new ErrorMessage("c-1", "bad_message", "héllo wörld 😀 \u0001 \"quoted\" back\\slash \u2028 日本");

        byte[] utf8 = codec.encodeUtf8(message);

        assertThat(utf8).isEqualTo(codec.encode(message).getBytes(StandardCharsets.UTF_8));
        assertThat(codec.decode(utf8)).isEqualTo(message);
    }

    @Test
    void a_number_beyond_a_double_is_refused_not_read_as_infinity() {
        // Found by scripts/bench-faults fuzz: in a free-form Docker answer, 1258E912 became Infinity, which encodes to no JSON.
        assertThatThrownBy(() -> codec.decode("{\"type\":\"docker_response\",\"id\":\"d-1\",\"ok\":true,\"result\":{\"config\":{\"memory_bytes\":1258E912}}}"))
                .isExactlyInstanceOf(ProtocolException.class).hasMessageContaining("number out of range: 1258E912");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"settings\",\"metrics_interval_seconds\":-1e999}"))
                .isExactlyInstanceOf(ProtocolException.class).hasMessageContaining("number out of range");
    }

    @Test
    void names_nested_fields_by_their_full_path() throws Exception {
        String metrics = """
            {"type":"metrics","seq":1,"timestamp":"2026-11-26T01:00:05Z","interval_seconds":5,
             "cpu":{"usage_percent":1,"per_core_percent":[1,2],"load_1":0,"load_5":0,"load_15":0},
             "memory":{"total_bytes":1,"used_bytes":1,"available_bytes":0,"usage_percent":100,"swap_total_bytes":0,"swap_used_bytes":0},
             "disks":[],"network":[],"uptime_seconds":1}""";
        assertThat(codec.decode(metrics)).isInstanceOf(Metrics.class);
        assertThatThrownBy(() -> codec.decode(metrics.replace("[1,2]", "[1,null]")))
                .hasMessage("field 'cpu.per_core_percent[1]' must not be null");
        assertThatThrownBy(() -> codec.decode(metrics.replace("[1,2]", "[1,101]")))
                .hasMessage("field 'cpu.per_core_percent' must be a percentage between 0 and 100");
        assertThatThrownBy(() -> codec.decode(metrics.replace("\"disks\":[]", "\"disks\":[{\"mount\":\"/\"}]")))
                .hasMessage("field 'disks[0].device' is required");
        assertThatThrownBy(() -> codec.decode(metrics.replace("\"total_bytes\":1", "\"total_bytes\":-1")))
                .hasMessage("field 'memory.total_bytes' must not be negative");
    }

    @Test
    void unknown_type_is_its_own_error_and_keeps_the_id() {
        assertThatThrownBy(() -> codec.decode("{\"type\":\"reboot\",\"id\":\"x-1\"}"))
                .isInstanceOf(UnknownMessageTypeException.class)
                .hasMessage("unknown message type 'reboot'")
                .satisfies(e -> {
                    UnknownMessageTypeException unknown = (UnknownMessageTypeException) e;
                    assertThat(unknown.code()).isEqualTo("unknown_type");
                    assertThat(unknown.type()).isEqualTo("reboot");
                    assertThat(unknown.messageId()).isEqualTo("x-1");
                });
    }

    @Test
    void error_answer_carries_the_id_of_the_refused_frame() throws Exception {
        ProtocolException refused = catchProtocol(COMMAND.replace("60", "0"));

        ErrorMessage answer = ErrorMessage.of(refused);

        assertThat(answer).isEqualTo(new ErrorMessage("c-1", "bad_message", "field 'timeout_seconds' must be between 1 and 86400"));
        assertThat(codec.decode(codec.encode(answer))).isEqualTo(answer);
    }

    /**
     * Both directions of the additions to {@code metrics}: a hub that knows them reads an older agent's
     * sample as one without them, and a reader that does not know them (an older hub, which ignores
     * unknown fields as below) gets the very parts it knows from a current agent's sample.
     */
    @Test
    void a_sample_with_the_later_parts_and_one_without_agree_on_the_parts_of_the_first_version() throws Exception {
        String current = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/golden/metrics-every-part.json"));
        com.fasterxml.jackson.databind.node.ObjectNode older = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(current);
        older.remove(List.of("disk_io", "temperatures", "pressure", "tcp", "services"));

        Metrics full = (Metrics) codec.decode(current);
        Metrics firstVersion = (Metrics) codec.decode(older.toString());

        assertThat(firstVersion).isEqualTo(new Metrics(full.seq(), full.timestamp(), full.intervalSeconds(), full.cpu(), full.memory(),
                full.disks(), full.network(), full.uptimeSeconds(), full.containers(), full.errors()));
        assertThat(List.of(firstVersion.diskIo() == null, firstVersion.temperatures() == null, firstVersion.pressure() == null,
                firstVersion.tcp() == null, firstVersion.services() == null)).containsOnly(true);
    }

    @Test
    void ignores_unknown_fields_at_every_level() throws Exception {
        assertThat(codec.decode("{\"type\":\"metrics_ack\",\"seq\":5,\"future\":{\"a\":[1,2]}}")).isEqualTo(new MetricsAck(5));
        assertThat(codec.decode(COMMAND.replace("}", ",\"priority\":\"high\"}")))
                .isEqualTo(new Command("c-1", "uptime", 60, null));
    }

    @Test
    void refuses_frames_over_one_mebibyte_before_parsing() {
        String big = "{\"type\":\"command_output\",\"id\":\"c\",\"stream\":\"stdout\",\"data\":\"" + "x".repeat(2 << 20) + "\"}";

        assertThatThrownBy(() -> codec.decode(big))
                .hasMessage("frame of " + big.length() + " bytes exceeds the limit of 1048576 bytes");
        assertThatThrownBy(() -> codec.decode(big.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("frame of " + big.length() + " bytes exceeds the limit of 1048576 bytes");
    }

    @Test
    void counts_the_limit_in_utf8_bytes_not_characters() {
        // 400 000 euro signs are 1.2 MB in UTF-8 but only 400 000 characters.
        String euros = "{\"type\":\"command_output\",\"id\":\"c\",\"stream\":\"stdout\",\"data\":\"" + "€".repeat(400_000) + "\"}";

        assertThatThrownBy(() -> codec.decode(euros)).hasMessageContaining("exceeds the limit of 1048576 bytes");
    }

    @Test
    void accepts_a_frame_just_under_the_limit() throws Exception {
        String prefix = "{\"type\":\"command_output\",\"id\":\"c\",\"stream\":\"stdout\",\"data\":\"";
        String data = "y".repeat(MessageCodec.MAX_FRAME_BYTES - prefix.length() - 2);

        assertThat(codec.decode(prefix + data + "\"}")).isEqualTo(new CommandOutput("c", OutputStreamName.STDOUT, data));
    }

    @Test
    void refuses_invalid_utf8() {
        byte[] frame = "{\"type\":\"error\",\"code\":\"x\",\"message\":\"?\"}".getBytes(StandardCharsets.UTF_8);
        frame[frame.length - 3] = (byte) 0xC3; // a lead byte followed by '"', not a continuation byte

        assertThatThrownBy(() -> codec.decode(frame)).hasMessage("frame is not valid UTF-8");
    }

    @Test
    void refuses_deep_nesting_without_recursing_into_it() {
        String deep = "{\"type\":\"metrics_ack\",\"seq\":1,\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> codec.decode(deep))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("frame exceeds a limit: Document nesting depth (33) exceeds the maximum allowed (32");
    }

    @Test
    void accepts_timestamps_with_any_offset() throws Exception {
        Message message = codec.decode("{\"type\":\"containers\",\"timestamp\":\"2026-11-26T02:00:00+01:00\",\"containers\":[]}");

        assertThat(((Containers) message).timestamp()).isEqualTo(java.time.Instant.parse("2026-11-26T01:00:00Z"));
    }

    @Test
    void never_prints_the_api_key() {
        Auth auth = (Auth) Samples.all().get("auth");

        assertThat(auth.toString()).contains("cok_3yQa…").doesNotContain(auth.apiKey());
    }

    @Test
    void records_refuse_invalid_values_when_built_directly() {
        assertThatThrownBy(() -> new MetricsAck(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'seq' must be a positive integer");
    }

    private ProtocolException catchProtocol(String frame) {
        try {
            codec.decode(frame);
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("expected " + frame + " to be refused");
    }
}
