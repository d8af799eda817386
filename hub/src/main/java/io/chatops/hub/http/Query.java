package io.chatops.hub.http;

import io.javalin.http.Context;

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
}
