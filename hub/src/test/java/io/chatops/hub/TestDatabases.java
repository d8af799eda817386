package io.chatops.hub;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The databases every store test runs on: the embedded SQLite (a file in a temporary folder) and
 * the PostgreSQL that scripts/test-prereqs starts, each test in a schema of its own.
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static String pgUrl() {
        return env("CHATOPS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/chatops_test");
    }

    public static String pgUser() {
        return env("CHATOPS_TEST_PG_USER", "chatops_test");
    }

    public static String pgPassword() {
        return env("CHATOPS_TEST_PG_PASSWORD", "chatops_test");
    }

    /** A database for one test: {@code url} is null for SQLite, the hub's default. */
    public record TestDatabase(String url, String schema) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            if (schema != null) {
                try (Connection db = DriverManager.getConnection(pgUrl(), pgUser(), pgPassword())) {
                    db.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    public static TestDatabase fresh(String kind) throws SQLException {
        if (kind.equals("sqlite")) {
            return new TestDatabase(null, null);
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection db = DriverManager.getConnection(pgUrl(), pgUser(), pgPassword())) {
            db.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return new TestDatabase(pgUrl() + "?user=" + pgUser() + "&password=" + pgPassword() + "&currentSchema=" + schema,
                schema);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
