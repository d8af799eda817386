package io.chatops.hub.commands;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command run through the hub and, once it ended, its result: a row of the per-server command
 * history. {@link #json} is its shape in API.md.
 *
 * @param error why it did not run to its end ({@code code: message}), or null
 */
public record CommandRecord(String id, String serverId, String username, String command, CommandStatus status,
        Integer exitCode, String stdout, String stderr, boolean truncated, Instant startedAt, Instant finishedAt,
        Long durationMs, String error) {

    public boolean finished() {
        return status != CommandStatus.RUNNING;
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("server_id", serverId);
        json.put("user", username);
        json.put("command", command);
        json.put("status", status.wireName());
        json.put("exit_code", exitCode);
        json.put("stdout", stdout);
        json.put("stderr", stderr);
        json.put("truncated", truncated);
        json.put("started_at", startedAt == null ? null : startedAt.toString());
        json.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        json.put("duration_ms", durationMs);
        json.put("error", error);
        return json;
    }
}
