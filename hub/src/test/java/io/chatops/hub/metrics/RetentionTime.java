package io.chatops.hub.metrics;

import io.chatops.hub.bench.SyntheticSamples;
import io.chatops.hub.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Times the retention of a day's data of a fleet: {@code SERVERS} servers (5 000 by default), each
 * with 25 hours of raw blocks (a small server's real hour, encoded as the hub does), their minute
 * blocks and their day blocks of hours, then one pass of {@link MetricsRetention} with the clock
 * set so that exactly one day of every tier is past retention. On the embedded SQLite, or on
 * PostgreSQL (day partitions) with a JDBC URL, user and password in it, as second argument. Run with {@code scripts/bench-hub retention
 * [SERVERS] [JDBC_URL]}.
 */
public final class RetentionTime {
    private RetentionTime() {
    }

    public static void main(String[] args) throws Exception {
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        String url = args.length > 1 ? args[1] : null;
        Path data = Files.createTempDirectory("chatops-retention");
        Instant day = Instant.parse("2026-11-01T00:00:00Z");
        List<Sample> hour = SyntheticSamples.of(7, day, 720, 2, 1, 4).stream().map(Sample::of).toList();
        byte[] raw = BlockCodec.encode(hour);
        byte[] minutes = SeriesCodec.encode(SeriesRollup.of(hour, SeriesTiers.MINUTE));
        var anHour = SeriesRollup.of(hour, SeriesTiers.HOUR).buckets().firstEntry().getValue();
        SeriesRollup hours = new SeriesRollup();
        for (int h = 0; h < 24; h++) {
            hours.put(day.plus(Duration.ofHours(h)).toEpochMilli(), anHour);
        }
        byte[] dayOfHours = SeriesCodec.encode(hours);
        try (Database database = Database.open(url, null, null, data)) { // a PostgreSQL URL carries its user and password
            var jdbi = database.jdbi();
            DayPartitions partitions = DayPartitions.setUp(jdbi);
            partitions.ensure(jdbi, day.toEpochMilli());
            partitions.ensure(jdbi, day.plus(Duration.ofDays(1)).toEpochMilli());
            long started = System.nanoTime();
            List<String> ids = new ArrayList<>();
            jdbi.useTransaction(h -> {
                PreparedBatch insert = h.prepareBatch("INSERT INTO servers (id, name, tags, created_at) VALUES (?, ?, '[]', 0)");
                for (int s = 0; s < servers; s++) {
                    String id = UUID.randomUUID().toString();
                    ids.add(id);
                    insert.bind(0, id).bind(1, "server-" + s).add();
                }
                insert.execute();
            });
            for (String id : ids) {
                jdbi.useTransaction(h -> {
                    PreparedBatch blocks = h.prepareBatch("INSERT INTO metrics_blocks (server_id, start, samples, data) VALUES (?, ?, 720, ?)");
                    PreparedBatch minuteBlocks = h.prepareBatch("INSERT INTO metrics_1m_series (server_id, start, data) VALUES (?, ?, ?)");
                    for (int h25 = 0; h25 < 25; h25++) { // the day that expires, and the first hour of the next that stays
                        long start = day.plus(Duration.ofHours(h25)).toEpochMilli();
                        blocks.bind(0, id).bind(1, start).bind(2, raw).add();
                        minuteBlocks.bind(0, id).bind(1, start).bind(2, minutes).add();
                    }
                    blocks.execute();
                    minuteBlocks.execute();
                    h.createUpdate("INSERT INTO metrics_1h_series (server_id, start, data) VALUES (?, ?, ?)").bind(0, id)
                            .bind(1, day.toEpochMilli()).bind(2, dayOfHours).execute();
                });
            }
            long rows = (long) servers * 51;
            System.out.printf("%s: %d servers, %d blocks (raw %d bytes, minutes %d bytes, a day of hours %d bytes each) written in %.1f s%n",
                    url == null ? "SQLite" : "PostgreSQL", servers, rows, raw.length, minutes.length, dayOfHours.length,
                    (System.nanoTime() - started) / 1e9);

            // Every tier kept a day, the clock where the first day is just past in all three (a block goes once its whole span is).
            Duration keep = Duration.ofDays(1);
            Instant now = day.plus(Duration.ofHours(48)).plus(Duration.ofMinutes(30));
            MetricsRetention retention = new MetricsRetention(jdbi, partitions, Clock.fixed(now, ZoneOffset.UTC),
                    new MetricsRetention.Retention(keep, keep, keep));
            started = System.nanoTime();
            retention.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            long left = jdbi.withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM metrics_blocks) + (SELECT COUNT(*) FROM metrics_1m_series)"
                    + " + (SELECT COUNT(*) FROM metrics_1h_series)").mapTo(Long.class).one());
            System.out.printf("retention dropped a day of %d servers (%d blocks) in %.2f s; %d blocks left (the next day's first hour)%n",
                    servers, rows - left, seconds, left);
        }
        // The database takes gigabytes: it goes with the run.
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        System.exit(0);
    }
}
