package io.chatops.agent.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file under /proc read again and again into one reused buffer. The file stays open between
 * reads: the kernel regenerates a /proc file on every read from offset 0, so a sample costs one
 * pread and no allocation. Not thread-safe: each collector owns its files.
 */
final class ProcFile implements AutoCloseable {
    private static final int INITIAL_BYTES = 4096;
    /** /proc/self/mountinfo of a host with thousands of containers stays well below this. */
    private static final int MAX_BYTES = 4 << 20;

    private final Path path;
    private FileChannel channel;
    private byte[] buffer = new byte[INITIAL_BYTES];
    private ByteBuffer view = ByteBuffer.wrap(buffer);
    private final ByteText text = new ByteText();

    ProcFile(Path path) {
        this.path = path;
    }

    /** Reads the whole file and returns its content, valid until the next read. */
    ByteText read() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
        int length = 0;
        while (true) {
            view.clear().position(length);
            int n;
            try {
                n = channel.read(view, length);
            } catch (IOException e) {
                close(); // reopen next time: the file may have been replaced
                throw e;
            }
            if (n < 0) {
                break;
            }
            length += n;
            if (length == buffer.length) {
                if (buffer.length >= MAX_BYTES) {
                    throw new IOException(path + " is larger than " + MAX_BYTES + " bytes");
                }
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
                view = ByteBuffer.wrap(buffer);
            }
        }
        return text.reset(buffer, length);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the next read reopens
            }
            channel = null;
        }
    }
}
