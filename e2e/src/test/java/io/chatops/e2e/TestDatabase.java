package io.chatops.e2e;

/** Where the test PostgreSQL is: scripts/test-prereqs creates it, the environment may move it. */
final class TestDatabase {
    private TestDatabase() {
    }

    static String url() {
        return env("CHATOPS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/chatops_test");
    }

    static String user() {
        return env("CHATOPS_TEST_PG_USER", "chatops_test");
    }

    static String password() {
        return env("CHATOPS_TEST_PG_PASSWORD", "chatops_test");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
