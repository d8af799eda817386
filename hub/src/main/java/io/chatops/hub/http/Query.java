package io.chatops.hub.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters, checked: a bad one is a 400 naming it. */
public final class Query {
    private Query() {
    }

    /** {@code ?limit=} between 1 and {@code max}; {@code fallback} when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("query parameter 'limit' must be a whole number from 1 to " + max);
    }

    /** {@code ?<name>=} as an RFC 3339 time; {@code fallback} when absent. */
    public static Instant time(Context ctx, String name, Instant fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be an RFC 3339 time, like 2026-11-26T00:00:00Z");
        }
    }

    /** A time range asked with {@code ?from=&to=}. */
    public record Range(Instant from, Instant to) {
    }

    /**
     * {@code ?from=&to=}: {@code to} defaults to {@code now}, {@code from} to {@code length} before
     * {@code to}; {@code from} must come first, and the range may span at most {@code max}.
     */
    public static Range range(Context ctx, Instant now, Duration length, Duration max) {
        Instant to = time(ctx, "to", now);
        Instant from = time(ctx, "from", to.minus(length));
        if (!from.isBefore(to)) {
            throw ApiError.badRequest("query parameter 'from' must be before 'to'");
        }
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw ApiError.badRequest("the range may be at most " + max.toDays() + " days");
        }
        return new Range(from, to);
    }
}
