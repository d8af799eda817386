package io.chatops.agent.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies a fixture host tree to a scratch folder, where tests may change files between samples. */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/fixtures");

    private Fixtures() {
    }

    static ProcFs copy(String name, Path scratch) {
        Path source = ROOT.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = scratch.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProcFs(scratch);
    }

    /**
     * Makes {@code proc/stat.next} the current /proc/stat, as if time had passed. Written in place:
     * collectors keep their files open, as they do with the real /proc.
     */
    static void advanceCpu(ProcFs fs) throws IOException {
        Files.write(fs.resolve("proc/stat"), Files.readAllBytes(fs.resolve("proc/stat.next")));
    }
}
