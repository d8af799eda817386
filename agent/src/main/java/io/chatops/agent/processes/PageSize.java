package io.chatops.agent.processes;

import io.chatops.agent.metrics.ProcFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's page size, which /proc counts resident memory in: 4 KiB on most machines, 16 or 64 KiB
 * on some ARM servers. Read from the first mapping in {@code /proc/self/smaps}.
 */
final class PageSize {
    private static final long USUAL = 4096;

    private PageSize() {
    }

    static long of(ProcFs fs) {
        ByteBuffer start = ByteBuffer.allocate(2048);
        try (FileChannel smaps = FileChannel.open(fs.resolve("proc/self/smaps"), StandardOpenOption.READ)) {
            smaps.read(start);
        } catch (IOException e) {
            return USUAL;
        }
        String text = new String(start.array(), 0, start.position(), StandardCharsets.US_ASCII);
        int at = text.indexOf("KernelPageSize:");
        if (at < 0) {
            return USUAL;
        }
        String value = text.substring(at + 15, Math.max(at + 15, text.indexOf('\n', at))).replace("kB", "").trim();
        try {
            return Long.parseLong(value) * 1024;
        } catch (NumberFormatException e) {
            return USUAL;
        }
    }
}
