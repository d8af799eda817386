package io.chatops.hub.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.http.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;

/** Reads a silence from its JSON, refusing anything invalid with a 400 that names the field. */
final class SilenceParser {
    /** A silence is for maintenance and known noise, not a way to switch a rule off: that is what enabled is for. */
    static final Duration LONGEST = Duration.ofDays(90);
    static final int MAX_REASON = 500;

    private SilenceParser() {
    }

    static Silence parse(JsonNode body, String id, String createdBy, Instant now, Predicate<String> serverExists,
            Predicate<String> ruleExists) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        String serverId = optional(body, "server_id");
        if (serverId != null && !serverExists.test(serverId)) {
            throw ApiError.badRequest("server_id: no server " + serverId);
        }
        String ruleId = optional(body, "rule_id");
        if (ruleId != null && !ruleExists.test(ruleId)) {
            throw ApiError.badRequest("rule_id: no alert rule " + ruleId);
        }
        String subject = optional(body, "subject");
        Instant until;
        try {
            until = OffsetDateTime.parse(body.path("until").asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("until must be an RFC 3339 time");
        }
        if (!until.isAfter(now) || until.isAfter(now.plus(LONGEST))) {
            throw ApiError.badRequest("until must be in the future and at most " + LONGEST.toDays() + " days away");
        }
        JsonNode reason = body.path("reason");
        if (!reason.isTextual() || reason.textValue().isBlank() || reason.textValue().length() > MAX_REASON) {
            throw ApiError.badRequest("reason must be text of 1 to " + MAX_REASON + " characters");
        }
        return new Silence(id, serverId, ruleId, subject, until, reason.textValue().strip(), createdBy, now);
    }

    private static String optional(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > 255) {
            throw ApiError.badRequest(field + " must be text of 1 to 255 characters");
        }
        return value.textValue();
    }
}
