package io.chatops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every input of the kept fuzzing corpus (and every golden message, its seeds) through {@link CodecFuzzTarget}. */
class FuzzCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/fuzz/codec");
    static final Path SEEDS = Path.of("src/test/resources/golden");

    @Test
    void the_kept_corpus_decodes_or_is_refused_cleanly() throws Exception {
        List<Path> kept;
        List<Path> seeds;
        try (Stream<Path> corpus = Files.list(CORPUS); Stream<Path> golden = Files.list(SEEDS)) {
            kept = corpus.filter(Files::isRegularFile).toList();
            seeds = golden.filter(Files::isRegularFile).toList();
        }
        assertThat(kept).as("inputs kept by scripts/bench-faults fuzz").isNotEmpty();
        List<Path> inputs = Stream.concat(kept.stream(), seeds.stream()).toList();
        for (Path input : inputs) {
            try {
                CodecFuzzTarget.fuzzerTestOneInput(Files.readAllBytes(input));
            } catch (RuntimeException e) {
                throw new AssertionError("corpus input " + input + " fails", e);
            }
        }
    }
}
