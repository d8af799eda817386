package io.chatops.hub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The hub's database: SQLite in the data directory by default, PostgreSQL when a
 * {@code jdbc:postgresql:} URL is given, both migrated by the same Flyway scripts. SQLite runs in
 * WAL mode with one writer connection at a time (it allows no more) and waits for a busy lock
 * instead of failing. Every SQLite commit is synced to disk before it returns ({@code synchronous=FULL}):
 * an acknowledgement sent after a commit must survive a power cut, which WAL's {@code NORMAL} does
 * not promise (it syncs only at checkpoints). On PostgreSQL the pool's connections set
 * {@code synchronous_commit=on} whatever the server's default, for the same reason.
 */
public final class Database implements AutoCloseable {
    /** A writer that holds SQLite's lock longer than this is stuck; fail rather than queue forever. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean sqlite;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens and migrates the database at {@code jdbcUrl}, or the SQLite file under {@code dataDir} when it is null. */
    public static Database open(String jdbcUrl, String user, String password, Path dataDir) {
        HikariConfig config = new HikariConfig();
        boolean sqlite = jdbcUrl == null || jdbcUrl.startsWith("jdbc:sqlite:");
        if (sqlite) {
            String url = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + dataDir.resolve("chatops.db");
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(1);
            config.setConnectionInitSql("PRAGMA foreign_keys = ON");
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            config.addDataSourceProperty("foreign_keys", "true");
        } else {
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(8);
            config.setConnectionInitSql("SET synchronous_commit = on");
        }
        config.setPoolName("chatops-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            // No pattern is ignored: a database migrated by a newer hub is refused (Flyway would skip
            // "future" migrations by default), because this hub would not know what they changed.
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").ignoreMigrationPatterns(new String[0])
                    .load().migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new Unusable("the database cannot be migrated: " + e.getMessage().strip(), e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, sqlite);
    }

    /** The database is there but this hub cannot use it; the message says why. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public boolean isSqlite() {
        return sqlite;
    }

    /** Whether {@code h} speaks to PostgreSQL, for code that holds a handle rather than this database. */
    public static boolean isPostgres(Handle h) {
        try {
            return h.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database this is", e);
        }
    }

    /** A connection of its own, outside the pool, for a listener that holds it as long as the hub runs. */
    public Connection connectDirect() throws SQLException {
        return DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
    }

    /** True when a trivial query answers: what {@code /readyz} reports. */
    public boolean isReachable() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
