package io.chatops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message against its golden file in {@code src/test/resources/golden/}. After a deliberate
 * change of the wire format, rewrite the files with
 * {@code mvn -pl protocol test -Dgolden.regenerate=true} and review the diff.
 */
class GoldenMessagesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageCodec codec = new MessageCodec();

    static Stream<Arguments> samples() {
        return Samples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void encoding_equals_the_golden_file(String name, Message message) throws IOException {
        String encoded = codec.encode(message);
        Path file = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("golden.regenerate")) {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(encoded)) + "\n");
        }
        assertThat(JSON.readTree(encoded)).isEqualTo(golden(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void the_utf8_encoding_is_the_same_frame(String name, Message message) {
        assertThat(new String(codec.encodeUtf8(message), StandardCharsets.UTF_8)).isEqualTo(codec.encode(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decoding_the_golden_file_gives_the_record(String name, Message message) throws Exception {
        assertThat(codec.decode(Files.readString(GOLDEN.resolve(name + ".json")))).isEqualTo(message);
    }

    @Test
    void every_message_type_has_a_golden_file() {
        Set<String> wireTypes = Samples.all().keySet().stream()
                .map(name -> golden(name).get("type").textValue())
                .collect(Collectors.toSet());
        Set<Class<?>> sampled = Samples.all().values().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(sampled).containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
        assertThat(wireTypes).containsExactlyInAnyOrder("auth", "auth_success", "auth_error", "metrics", "metrics_ack",
                "containers", "command", "command_output", "command_response", "command_cancel", "docker_command",
                "docker_response", "error", "settings", "processes_request", "processes");
    }

    @Test
    void golden_files_are_all_in_use() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".json", "")))
                    .containsExactlyInAnyOrderElementsOf(Samples.all().keySet());
        }
    }

    private static JsonNode golden(String name) {
        try {
            return JSON.readTree(Files.readString(GOLDEN.resolve(name + ".json"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read golden file " + name + ".json", e);
        }
    }
}
