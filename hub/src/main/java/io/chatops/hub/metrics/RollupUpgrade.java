package io.chatops.hub.metrics;

import io.chatops.hub.db.Rows;
import io.chatops.hub.metrics.SeriesRollup.Figure;
import io.chatops.hub.metrics.SeriesRollup.Kind;
import io.chatops.hub.metrics.SeriesRollup.Series;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the rollups of earlier versions — a row per server-minute in {@code metrics_1m}, a row per
 * server-hour in {@code metrics_1h}, server-wide figures only — into the minute and hour blocks
 * ({@link SeriesTiers}), then drops those tables. One server per transaction, its rows deleted as
 * they move: an interrupted upgrade resumes where it stopped, and nothing is moved twice. What a
 * block already holds (written since this version) is kept.
 */
final class RollupUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(RollupUpgrade.class);
    private static final String FIGURES = "ts, cpu_avg, cpu_max, mem_avg, mem_max, disk_avg, disk_max, load1_avg, load1_max,"
            + " net_sent_avg, net_sent_max, net_recv_avg, net_recv_max";
    private static final Kind[] KINDS = {Kind.CPU, Kind.MEMORY, Kind.FULLEST_DISK, Kind.LOAD_1, Kind.SENT, Kind.RECEIVED};

    private RollupUpgrade() {
    }

    static void run(Jdbi jdbi) {
        if (!jdbi.withHandle(h -> RawTierUpgrade.tableExists(h, "metrics_1m"))) {
            return;
        }
        List<String> servers = jdbi.withHandle(h -> h.createQuery(
                "SELECT server_id FROM metrics_1m UNION SELECT server_id FROM metrics_1h").mapTo(String.class).list());
        if (!servers.isEmpty()) {
            LOG.info("moving the minute and hour rollups of {} servers into blocks", servers.size());
        }
        long started = System.nanoTime();
        for (int i = 0; i < servers.size(); i++) {
            String serverId = servers.get(i);
            jdbi.useTransaction(h -> {
                move(h, serverId, "metrics_1m", "metrics_1m_series", SeriesTiers.HOUR);
                move(h, serverId, "metrics_1h", "metrics_1h_series", SeriesTiers.DAY);
            });
            if ((i + 1) % 100 == 0 || i + 1 == servers.size()) {
                LOG.info("rollups moved for {} of {} servers ({} s)", i + 1, servers.size(), (System.nanoTime() - started) / 1_000_000_000L);
            }
        }
        jdbi.useHandle(h -> {
            h.execute("DROP TABLE metrics_1m");
            h.execute("DROP TABLE metrics_1h");
        });
    }

    /** One server's rows of {@code table} into blocks of {@code blockLength}, then the rows out. */
    private static void move(Handle h, String serverId, String table, String blocks, long blockLength) {
        Map<Long, SeriesRollup> byBlock = new LinkedHashMap<>();
        h.createQuery("SELECT " + FIGURES + " FROM " + table + " WHERE server_id = ? ORDER BY ts").bind(0, serverId)
                .map((rs, ctx) -> {
                    long bucket = rs.getLong(1);
                    byBlock.computeIfAbsent(SeriesTiers.floor(bucket, blockLength), b -> new SeriesRollup()).put(bucket, figures(rs));
                    return bucket;
                }).list();
        byBlock.forEach((start, moved) -> {
            SeriesRollup block = SeriesTiers.stored(h, blocks, serverId, start).orElseGet(SeriesRollup::new);
            block.addMissing(moved);
            SeriesTiers.upsert(h, blocks, serverId, start, block);
        });
        h.createUpdate("DELETE FROM " + table + " WHERE server_id = ?").bind(0, serverId).execute();
    }

    private static Map<Series, Figure> figures(ResultSet rs) throws SQLException {
        Map<Series, Figure> figures = new LinkedHashMap<>();
        for (int k = 0; k < KINDS.length; k++) {
            Double avg = Rows.doubleOrNull(rs, 2 + 2 * k);
            Double max = Rows.doubleOrNull(rs, 3 + 2 * k);
            if (avg != null && max != null) {
                figures.put(new Series(KINDS[k], ""), new Figure(KINDS[k].round(avg), KINDS[k].round(max)));
            }
        }
        return figures;
    }
}
