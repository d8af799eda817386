package io.chatops.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit returns only once it is on disk, whatever the database server's own default. */
class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void sqlite_syncs_every_commit_of_its_write_ahead_log() {
        try (Database database = Database.open(null, null, null, dir)) {
            assertThat(pragma(database, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(database, "synchronous")).as("2 is FULL: the log is synced at each commit").isEqualTo("2");
        }
    }

    @Test
    void postgresql_commits_durably_even_when_the_server_default_is_asynchronous() throws Exception {
        try (TestDatabases.TestDatabase schema = TestDatabases.fresh("postgresql");
                Database database = Database.open(schema.url() + "&options=-c%20synchronous_commit%3Doff", null, null, dir)) {
            String setting = database.jdbi().withHandle(h -> h.createQuery("SHOW synchronous_commit").mapTo(String.class).one());
            assertThat(setting).isEqualTo("on");
        }
    }

    private static String pragma(Database database, String name) {
        return database.jdbi().withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
    }
}
