package io.chatops.agent.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Sample sequence numbers that never repeat, across restarts and crashes. The file in the state
 * directory holds a reservation: the highest number this agent may have handed out. Numbers are
 * reserved in blocks, so the disk is written once per {@link #BLOCK} samples (about 80 minutes),
 * and a crash skips the rest of a block instead of reusing it; the hub accepts gaps, never
 * repeats.
 */
final class SeqCounter {
    static final long BLOCK = 1_000;
    private static final String FILE = "seq";

    private final Path file;
    private long last;
    private long reserved;

    private SeqCounter(Path file, long last) {
        this.file = file;
        this.last = last;
        this.reserved = last;
    }

    /** Opens the counter in {@code stateDir}, creating the directory and file as needed. */
    static SeqCounter open(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE);
        long reserved = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try {
                reserved = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException(file + " does not hold a sequence number (\"" + text + "\"); remove it to start again");
            }
            if (reserved < 0) {
                throw new IOException(file + " holds a negative sequence number; remove it to start again");
            }
        }
        return new SeqCounter(file, reserved);
    }

    long next() throws IOException {
        if (last == reserved) {
            reserve(last + BLOCK);
        }
        return ++last;
    }

    /** The hub has seen numbers up to {@code seq}: continue after it. */
    void skipPast(long seq) throws IOException {
        if (seq > last) {
            last = seq;
            reserve(seq + BLOCK);
        }
    }

    long last() {
        return last;
    }

    private void reserve(long upTo) throws IOException {
        Path temp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(StandardCharsets.US_ASCII.encode(upTo + "\n"));
            out.force(true); // the reservation must be on disk before any number of it is used
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        reserved = upTo;
    }
}
