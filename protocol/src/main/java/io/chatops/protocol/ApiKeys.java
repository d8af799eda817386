package io.chatops.protocol;

/** How an API key may appear in logs and messages: its first characters only. */
public final class ApiKeys {
    /** Enough to tell keys apart in a log ({@code cok_3yQa…}), far too few to use one. */
    public static final int VISIBLE_PREFIX_CHARS = 8;

    private ApiKeys() {
    }

    public static String redact(String apiKey) {
        if (apiKey == null) {
            return "null";
        }
        return apiKey.length() <= VISIBLE_PREFIX_CHARS
                ? "…"
                : apiKey.substring(0, VISIBLE_PREFIX_CHARS) + "…";
    }
}
