package io.chatops.e2e;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (Debian's binaries, a data directory in /tmp, a free
 * loopback port), which the test may stop and start without disturbing the shared one other tests
 * use. PostgreSQL refuses to run as root, so it runs as the {@code postgres} user.
 */
final class PrivatePostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    final Path dir;
    final int port;

    PrivatePostgres() throws Exception {
        dir = Files.createTempDirectory("chatops-private-pg");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        TestMachineTest.run("chown", "postgres", dir.toString());
        asPostgres(BIN.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U chatops --no-sync");
        start();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=chatops";
    }

    void start() throws Exception {
        asPostgres(BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("server.log") + " -w start -o '-p " + port
                + " -k " + dir + " -c listen_addresses=127.0.0.1'");
    }

    /** Stops the server the quick way: open connections are cut, as when it crashes or its host goes away. */
    void stop() throws Exception {
        asPostgres(BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -w stop -m immediate");
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } catch (AssertionError alreadyStopped) {
            // stopped by the test
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void asPostgres(String command) throws Exception {
        TestMachineTest.run("su", "postgres", "-s", "/bin/sh", "-c", command);
    }
}
