package io.chatops.hub.metrics;

import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.ProtocolException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade from a hub that kept every sample as its JSON text ({@code metrics_raw}): at start,
 * before the writer runs, each server's rows move into {@link RawTier}'s open rows in chunks, each
 * chunk in one transaction (moved and deleted together), so an upgrade that is stopped goes on
 * where it was at the next start and nothing is lost or doubled. The writer then closes the past
 * hours into blocks as it does every hour. The emptied table is dropped.
 */
final class RawTierUpgrade {
    static final int CHUNK = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(RawTierUpgrade.class);
    private static final MessageCodec CODEC = new MessageCodec();

    private RawTierUpgrade() {
    }

    private record Row(long seq, long ts, byte[] data, Object[] figures) {
    }

    static void run(Jdbi jdbi) {
        if (!jdbi.withHandle(h -> tableExists(h, "metrics_raw"))) {
            return;
        }
        long total = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_raw").mapTo(Long.class).one());
        if (total > 0) {
            LOG.info("upgrading stored samples to the compact tier: {} samples to convert", total);
        }
        long moved = 0;
        long damaged = 0;
        long lastLog = System.nanoTime();
        List<String> servers = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT server_id FROM metrics_raw").mapTo(String.class).list());
        for (String server : servers) {
            while (true) {
                long[] counts = jdbi.inTransaction(h -> {
                    List<Row> rows = h.createQuery("SELECT seq, ts, sample, cpu, mem, disk, load1 FROM metrics_raw"
                            + " WHERE server_id = ? ORDER BY seq LIMIT " + CHUNK).bind(0, server).map((rs, ctx) -> row(rs)).list();
                    if (rows.isEmpty()) {
                        return new long[] {0, 0};
                    }
                    PreparedBatch insert = h.prepareBatch(RawTier.INSERT_OPEN);
                    long unreadable = 0;
                    for (Row row : rows) {
                        if (row.data() == null) {
                            unreadable++;
                            continue;
                        }
                        insert.bind(0, server).bind(1, row.seq()).bind(2, row.ts()).bind(3, row.data());
                        for (int i = 0; i < row.figures().length; i++) {
                            insert.bind(4 + i, (Double) row.figures()[i]);
                        }
                        insert.add();
                    }
                    if (rows.size() > unreadable) {
                        insert.execute();
                    }
                    h.createUpdate("DELETE FROM metrics_raw WHERE server_id = ? AND seq <= ?").bind(0, server)
                            .bind(1, rows.get(rows.size() - 1).seq()).execute();
                    return new long[] {rows.size(), unreadable};
                });
                if (counts[0] == 0) {
                    break;
                }
                moved += counts[0];
                damaged += counts[1];
                if (System.nanoTime() - lastLog > 5_000_000_000L) {
                    LOG.info("upgrading stored samples: {} of {} converted", moved, total);
                    lastLog = System.nanoTime();
                }
            }
        }
        if (damaged > 0) {
            LOG.warn("{} stored samples could not be read and were left out of the upgrade", damaged);
        }
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO metrics_latest (server_id, seq, ts, data, cpu, mem, disk, load1)"
                    + " SELECT o.server_id, o.seq, o.ts, o.data, o.cpu, o.mem, o.disk, o.load1 FROM metrics_open o"
                    + " JOIN servers s ON s.id = o.server_id AND o.seq = s.last_seq WHERE true ON CONFLICT (server_id) DO NOTHING");
            h.execute("DROP TABLE metrics_raw");
        });
        if (total > 0) {
            LOG.info("upgrade of stored samples done: {} converted; past hours become blocks over the next minutes", moved);
        }
    }

    static boolean tableExists(Handle h, String table) {
        // In this database's own schema only (PostgreSQL may hold other hubs' schemas).
        try (ResultSet tables = h.getConnection().getMetaData().getTables(null, h.getConnection().getSchema(), table, null)) {
            return tables.next();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's tables", e);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        byte[] data;
        try {
            data = BlockCodec.encode(List.of(Sample.of((Metrics) CODEC.decode(rs.getString(3)))));
        } catch (ProtocolException | ClassCastException e) {
            data = null;
        }
        Object[] figures = new Object[4];
        for (int i = 0; i < figures.length; i++) {
            figures[i] = io.chatops.hub.db.Rows.doubleOrNull(rs, 4 + i);
        }
        return new Row(rs.getLong(1), rs.getLong(2), data, figures);
    }
}
