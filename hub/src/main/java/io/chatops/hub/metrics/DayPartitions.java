package io.chatops.hub.metrics;

import io.chatops.hub.db.Database;
import io.chatops.hub.db.Locks;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL, the two tables that grow with every server-hour — raw blocks and minute blocks —
 * are partitioned by UTC day, so that retention drops a whole day as one table instead of deleting
 * (and later vacuuming) thousands of rows with their out-of-line data. A day's partition is made
 * before its first block is written. SQLite has no partitions: there this does nothing, and
 * retention deletes blocks, which it does fast enough (see docs/hub.md).
 */
final class DayPartitions {
    static final long DAY = 86_400_000L;
    private static final Logger LOG = LoggerFactory.getLogger(DayPartitions.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /** The partitioned tables and their columns, as the migrations define them. */
    private static final Map<String, String> TABLES = Map.of(
            "metrics_blocks", "samples INTEGER NOT NULL, ",
            "metrics_1m_series", "");

    /** For those that only read: they make no partitions. */
    static final DayPartitions NONE = new DayPartitions(false);

    private final boolean postgres;
    /** Partitions known to exist, by name. */
    private final Set<String> made = ConcurrentHashMap.newKeySet();

    private DayPartitions(boolean postgres) {
        this.postgres = postgres;
    }

    /** Partitions the tables on PostgreSQL, once: a database of an earlier version has its blocks moved into the day partitions. */
    static DayPartitions setUp(Jdbi jdbi) {
        boolean postgres = jdbi.withHandle(Database::isPostgres);
        DayPartitions partitions = new DayPartitions(postgres);
        if (postgres) {
            Locks.PARTITIONS.runWaiting(jdbi, () -> TABLES.forEach((table, columns) ->
                    jdbi.useTransaction(h -> partitions.partition(h, table, columns))));
        }
        return partitions;
    }

    /** Makes the day partitions that a block starting at {@code start} goes into, if they are not there yet. */
    void ensure(Jdbi jdbi, long start) {
        if (!postgres) {
            return;
        }
        long day = Math.floorDiv(start, DAY) * DAY;
        for (String table : TABLES.keySet()) {
            String name = name(table, day);
            if (!made.contains(name)) {
                // Two instances creating the same partition at once would collide in the catalogue.
                Locks.PARTITIONS.runWaiting(jdbi, () -> jdbi.useHandle(h -> create(h, table, day)));
                made.add(name);
            }
        }
    }

    /** Drops the day partitions of {@code table} whose every block starts an hour or more before {@code cutoff}. */
    void dropBefore(Handle h, String table, long cutoff) {
        if (!postgres) {
            return;
        }
        List<String> partitions = h.createQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent = CAST(? AS regclass)").bind(0, table).mapTo(String.class).list();
        for (String partition : partitions) {
            long day = LocalDate.parse(partition.substring(partition.lastIndexOf('_') + 2), DateTimeFormatter.BASIC_ISO_DATE)
                    .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            // The day's last block starts an hour before the day ends; it is past retention when that hour is.
            if (day + DAY < cutoff) {
                h.execute("DROP TABLE " + partition);
                made.remove(partition);
            }
        }
    }

    private void partition(Handle h, String table, String columns) {
        boolean partitioned = h.createQuery("SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = CAST(? AS regclass)").bind(0, table)
                .mapTo(Boolean.class).one();
        if (partitioned) {
            return;
        }
        long rows = h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one();
        LOG.info("partitioning {} by day ({} blocks to move)", table, rows);
        String next = table + "_by_day";
        h.execute("CREATE TABLE " + next + " (server_id VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,"
                + " start BIGINT NOT NULL, " + columns + "data BYTEA NOT NULL, PRIMARY KEY (server_id, start)) PARTITION BY RANGE (start)");
        for (long day : h.createQuery("SELECT DISTINCT (start / " + DAY + ") * " + DAY + " FROM " + table).mapTo(Long.class).list()) {
            create(h, next, day);
        }
        h.execute("INSERT INTO " + next + " SELECT * FROM " + table);
        h.execute("DROP TABLE " + table);
        h.execute("ALTER TABLE " + next + " RENAME TO " + table);
        h.execute("CREATE INDEX " + table + "_start ON " + table + " (start)");
    }

    /** The partition of {@code day} (named after the table the partitions will have, so that a rename keeps names meaningful). */
    private static void create(Handle h, String table, long day) {
        String base = table.replace("_by_day", "");
        h.execute("CREATE TABLE IF NOT EXISTS " + name(base, day) + " PARTITION OF " + table + " FOR VALUES FROM (" + day + ") TO ("
                + (day + DAY) + ")");
    }

    private static String name(String table, long day) {
        return table + "_p" + SUFFIX.format(Instant.ofEpochMilli(day));
    }
}
