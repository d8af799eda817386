package io.chatops.agent.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.LongSupplier;
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
     * Makes each {@code X.next} the current {@code X} ({@code proc/stat}, {@code proc/diskstats}, …),
     * as if time had passed. Written in place: collectors keep their files open, as they do with the
     * real /proc.
     */
    static void advance(ProcFs fs) throws IOException {
        try (Stream<Path> files = Files.walk(fs.root())) {
            for (Path next : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".next"))::iterator) {
                String name = next.getFileName().toString();
                Files.write(next.resolveSibling(name.substring(0, name.length() - ".next".length())), Files.readAllBytes(next));
            }
        }
    }

    /** The collectors' monotonic clock, moved on by the test: rates come out exact. */
    static final class Ticks implements LongSupplier {
        private long nanos = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return nanos;
        }

        void advance(Duration by) {
            nanos += by.toNanos();
        }
    }
}
