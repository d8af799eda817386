package io.chatops.hub.chat;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.agents.AgentRequests;
import io.chatops.hub.agents.AgentUnavailable;
import io.chatops.hub.commands.CommandRecord;
import io.chatops.hub.commands.CommandService;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.servers.ServerStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code run} on one or many servers: a command per server, started at once, and one row per
 * server (exit code, duration, the output's last lines) that fills in as each finishes. The
 * answer is rendered again at each change; the caller decides how often to show it. Each row is
 * stored as it changes ({@link JobStore}), so that any hub instance shows and cancels the job.
 */
final class FanOutJob {
    /** Rows shown in full; beyond, the answer counts the rest by outcome. */
    static final int ROWS_SHOWN = 50;
    /** Output lines shown per server: a few when there are few servers, the last one otherwise. */
    static final int TAIL_FEW = 5;
    static final int FEW_SERVERS = 3;
    static final int MAX_LINE_CHARS = 160;

    /** One server's part; {@code outcome} is null while it runs. */
    static final class Row {
        final int position;
        final String serverId;
        final String serverName;
        String commandId;
        String outcome;
        String tail = "";
        boolean ok;

        Row(int position, String serverId, String serverName) {
            this.position = position;
            this.serverId = serverId;
            this.serverName = serverName;
        }

        /** Ends this row with {@code record}'s outcome, or with {@code error} when there is no record. */
        void end(CommandRecord record, Throwable error) {
            Throwable cause = AgentRequests.cause(error);
            if (record != null) {
                ok = record.exitCode() != null && record.exitCode() == 0;
                outcome = switch (record.status()) {
                    case SUCCEEDED, FAILED -> "exit " + record.exitCode();
                    case TIMED_OUT -> "timed out";
                    case CANCELLED -> "cancelled";
                    case ERROR -> "error: " + record.error();
                    case RUNNING -> null;
                } + (record.durationMs() == null ? "" : String.format(" in %.1f s", record.durationMs() / 1000.0));
                // Only the lines an answer can show are kept: a job holds a thousand rows, an output up to 256 KB.
                tail = String.join("\n", lastLines(((record.stdout() == null ? "" : record.stdout())
                        + (record.stderr() == null ? "" : record.stderr())).strip(), TAIL_FEW));
            } else {
                outcome = cause instanceof AgentUnavailable unavailable && unavailable.reason() == AgentUnavailable.Reason.NO_ANSWER
                        ? "no answer: " + cause.getMessage() : "not run: " + (cause == null ? "unknown" : cause.getMessage());
            }
        }
    }

    final String id;
    final String requester;
    final String command;
    final Instant startedAt;
    private final List<Row> rows;
    private final String hubUrl;

    /** A new job, one row per server. */
    FanOutJob(String id, String requester, String command, List<ServerStore.Server> servers, Instant startedAt, String hubUrl) {
        this(id, requester, command, startedAt, hubUrl, new ArrayList<>());
        servers.forEach(server -> rows.add(new Row(rows.size(), server.id(), server.name())));
    }

    /** A job as stored, with its rows as they stand. */
    FanOutJob(String id, String requester, String command, Instant startedAt, String hubUrl, List<Row> rows) {
        this.id = id;
        this.requester = requester;
        this.command = command;
        this.startedAt = startedAt;
        this.hubUrl = hubUrl;
        this.rows = rows;
    }

    /**
     * Starts the command on every server, storing each row as it changes; {@code changed} hears of
     * each server that finished, on whatever thread finished it.
     */
    void start(CommandService commands, Actor actor, Duration timeout, JobStore store, Consumer<FanOutJob> changed) {
        for (Row row : rows) {
            try {
                CommandService.Started started = commands.run(actor, row.serverId, command, timeout);
                synchronized (this) {
                    row.commandId = started.id();
                }
                started.finished().whenComplete((record, error) -> {
                    finished(row, record, error, store);
                    changed.accept(this);
                });
            } catch (ApiError e) { // offline, commands disabled, a bad command: this server's row says so
                synchronized (this) {
                    row.end(null, e);
                }
            }
        }
        synchronized (this) {
            store.started(this); // every command id and every row that could not start, in one write
        }
        changed.accept(this);
    }

    private synchronized void finished(Row row, CommandRecord record, Throwable error, JobStore store) {
        row.end(record, error);
        store.rowEnded(id, row);
    }

    /** The rows, for {@link JobStore}: read and changed under this job's lock. */
    List<Row> rows() {
        return rows;
    }

    synchronized boolean done() {
        return rows.stream().allMatch(row -> row.outcome != null);
    }

    /** The commands still running, to cancel. */
    synchronized List<String> runningCommandIds() {
        return rows.stream().filter(row -> row.outcome == null && row.commandId != null).map(row -> row.commandId).toList();
    }

    /** The answer as it stands: a heading, then one row per server in a code block. */
    synchronized String render() {
        long finished = rows.stream().filter(row -> row.outcome != null).count();
        long succeeded = rows.stream().filter(row -> row.ok).count();
        StringBuilder text = new StringBuilder();
        text.append("@").append(requester).append(" ran `").append(oneLine(command)).append("` on ").append(plural(rows.size(), "server"))
                .append(" (job ").append(id).append("): ");
        text.append(finished == rows.size() ? "done, " + succeeded + " succeeded, " + (finished - succeeded) + " did not"
                : finished + " finished, " + (rows.size() - finished) + " running");
        text.append("\n```\n");
        int width = rows.stream().mapToInt(row -> row.serverName.length()).max().orElse(0);
        int tail = rows.size() <= FEW_SERVERS ? TAIL_FEW : 1;
        for (Row row : rows.subList(0, Math.min(ROWS_SHOWN, rows.size()))) {
            text.append(String.format("%-" + width + "s  %s", row.serverName, row.outcome == null ? "running…" : row.outcome));
            List<String> lines = lastLines(row.tail, tail);
            if (tail == 1 && !lines.isEmpty()) {
                text.append("  ").append(lines.get(0));
            }
            text.append('\n');
            if (tail > 1) {
                lines.forEach(line -> text.append("    ").append(line).append('\n'));
            }
        }
        if (rows.size() > ROWS_SHOWN) {
            List<Row> rest = rows.subList(ROWS_SHOWN, rows.size());
            text.append("… and ").append(rest.size()).append(" more: ").append(rest.stream().filter(row -> row.ok).count()).append(" succeeded, ")
                    .append(rest.stream().filter(row -> row.outcome != null && !row.ok).count()).append(" did not, ")
                    .append(rest.stream().filter(row -> row.outcome == null).count()).append(" running\n");
        }
        text.append("```\nFull output: each server's Commands tab, e.g. ").append(hubUrl).append("/#/servers/").append(rows.get(0).serverId);
        return text.toString();
    }

    private static List<String> lastLines(String output, int count) {
        if (output.isEmpty()) {
            return List.of();
        }
        List<String> lines = List.of(output.split("\n"));
        return lines.subList(Math.max(0, lines.size() - count), lines.size()).stream()
                .map(line -> line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line).toList();
    }

    static String oneLine(String text) {
        String line = text.replace("`", "'").replaceAll("\\s+", " ").strip();
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }

    static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
