package io.chatops.hub.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Fan-out jobs as every hub instance sees them: owns {@code chat_jobs} and {@code chat_job_servers}.
 * The newest {@link #KEPT} are kept; their commands stay in each server's history anyway.
 */
final class JobStore {
    static final int KEPT = 200;
    private static final String STORE_ROW = "UPDATE chat_job_servers SET command_id = ?, outcome = ?, ok = ?, tail = ?"
            + " WHERE job_id = ? AND position = ?";

    /** A job that has not ended, with the instance that runs it and where its answer goes (JSON, or null). */
    record Unfinished(String id, String instance, String answerTo) {
    }

    /** A line of {@code jobs}. */
    record Summary(String id, Instant startedAt, String requester, String command, boolean finished) {
    }

    private final Jdbi jdbi;
    private final String hubUrl;

    JobStore(Jdbi jdbi, String hubUrl) {
        this.jdbi = jdbi;
        this.hubUrl = hubUrl;
    }

    /** The hub's public URL, which answers link to. */
    String hubUrl() {
        return hubUrl;
    }

    /** Stores a new job run by {@code instance}, its rows still empty. */
    void create(FanOutJob job, String instance, String answerTo) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO chat_jobs (id, requester, command, started_at, instance_id, answer_to) VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, job.id).bind(1, job.requester).bind(2, job.command).bind(3, job.startedAt.toEpochMilli()).bind(4, instance)
                    .bind(5, answerTo).execute();
            PreparedBatch rows = h.prepareBatch("INSERT INTO chat_job_servers (job_id, position, server_id, server_name) VALUES (?, ?, ?, ?)");
            for (FanOutJob.Row row : job.rows()) {
                rows.bind(0, job.id).bind(1, row.position).bind(2, row.serverId).bind(3, row.serverName).add();
            }
            rows.execute();
            h.createUpdate("DELETE FROM chat_jobs WHERE started_at < (SELECT MIN(started_at) FROM (SELECT started_at FROM chat_jobs"
                    + " ORDER BY started_at DESC LIMIT " + KEPT + ") newest)").execute();
        });
    }

    /** Stores every row as it stands once the commands were started (called under the job's lock). */
    void started(FanOutJob job) {
        jdbi.useHandle(h -> {
            PreparedBatch batch = h.prepareBatch(STORE_ROW);
            for (FanOutJob.Row row : job.rows()) {
                bindRow(batch, job.id, row).add();
            }
            batch.execute();
        });
    }

    /** Stores a row that ended (called under its job's lock). */
    void rowEnded(String jobId, FanOutJob.Row row) {
        jdbi.useHandle(h -> bindRow(h.createUpdate(STORE_ROW), jobId, row).execute());
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindRow(T statement, String jobId, FanOutJob.Row row) {
        return statement.bind(0, row.commandId).bind(1, row.outcome).bind(2, row.ok).bind(3, row.tail).bind(4, jobId).bind(5, row.position);
    }

    /** Marks the job ended and forgets where its answer went; false when another instance did so first. */
    boolean finish(String jobId, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE chat_jobs SET finished_at = ?, answer_to = NULL WHERE id = ? AND finished_at IS NULL")
                .bind(0, at.toEpochMilli()).bind(1, jobId).execute()) == 1;
    }

    Optional<FanOutJob> find(String jobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, requester, command, started_at FROM chat_jobs WHERE id = ?").bind(0, jobId)
                .map((rs, ctx) -> new FanOutJob(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), hubUrl,
                        rows(h, jobId)))
                .findOne());
    }

    private static List<FanOutJob.Row> rows(Handle h, String jobId) {
        return new ArrayList<>(h.createQuery("SELECT position, server_id, server_name, command_id, outcome, ok, tail FROM chat_job_servers"
                + " WHERE job_id = ? ORDER BY position").bind(0, jobId).map((rs, ctx) -> {
                    FanOutJob.Row row = new FanOutJob.Row(rs.getInt(1), rs.getString(2), rs.getString(3));
                    row.commandId = rs.getString(4);
                    row.outcome = rs.getString(5);
                    row.ok = rs.getBoolean(6);
                    row.tail = rs.getString(7) == null ? "" : rs.getString(7);
                    return row;
                }).list());
    }

    /** The newest {@code limit} jobs, newest last. */
    List<Summary> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, started_at, requester, command, finished_at FROM chat_jobs"
                        + " ORDER BY started_at DESC LIMIT " + limit)
                .map((rs, ctx) -> new Summary(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getObject(5) != null))
                .list()).reversed();
    }

    /** The jobs not ended whose instance is none of {@code alive}. */
    List<Unfinished> orphaned(Collection<String> alive) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, instance_id, answer_to FROM chat_jobs WHERE finished_at IS NULL"
                        + " AND instance_id NOT IN (<alive>)").bindList("alive", List.copyOf(alive))
                .map((rs, ctx) -> new Unfinished(rs.getString(1), rs.getString(2), rs.getString(3))).list());
    }
}
