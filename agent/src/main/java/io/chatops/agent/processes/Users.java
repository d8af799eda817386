package io.chatops.agent.processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** User names by uid from {@code /etc/passwd}, read again when a uid is not in it (a user added since); the number otherwise. */
final class Users {
    private final Path passwd;
    private Map<Long, String> names = Map.of();
    private long readAt;

    Users(Path passwd) {
        this.passwd = passwd;
    }

    String name(long uid) {
        if (uid < 0) {
            return "?";
        }
        String name = names.get(uid);
        if (name == null && System.nanoTime() - readAt > 10_000_000_000L) {
            names = read();
            readAt = System.nanoTime();
            name = names.get(uid);
        }
        return name != null ? name : Long.toString(uid);
    }

    private Map<Long, String> read() {
        Map<Long, String> byUid = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(passwd);
            for (String line : lines) {
                String[] fields = line.split(":", 4);
                if (fields.length >= 3 && !fields[0].isBlank()) {
                    try {
                        byUid.putIfAbsent(Long.parseLong(fields[2]), fields[0]);
                    } catch (NumberFormatException ignored) {
                        // a damaged line names nobody
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return byUid; // no passwd (a container): numbers
        }
        return byUid;
    }
}
