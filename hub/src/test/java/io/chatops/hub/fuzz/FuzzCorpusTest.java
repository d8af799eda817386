package io.chatops.hub.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.chat.ChatLineFuzzTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every input of each kept fuzzing corpus ({@code src/test/resources/fuzz/<target>}) through its target, on every build. */
class FuzzCorpusTest {
    interface Target {
        void run(byte[] input) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chat-line", "rest-bodies"})
    void the_kept_corpus_passes_its_target(String name) throws Exception {
        Target target = name.equals("chat-line") ? ChatLineFuzzTarget::fuzzerTestOneInput : RestBodyFuzzTarget::fuzzerTestOneInput;
        List<Path> inputs;
        try (Stream<Path> corpus = Files.list(Path.of("src/test/resources/fuzz", name))) {
            inputs = corpus.filter(Files::isRegularFile).toList();
        }
        assertThat(inputs).as("inputs kept by scripts/bench-faults fuzz").isNotEmpty();
        for (Path input : inputs) {
            try {
                target.run(Files.readAllBytes(input));
            } catch (Exception | AssertionError e) {
                throw new AssertionError("corpus input " + input + " fails", e);
            }
        }
    }
}
