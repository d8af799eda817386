package io.chatops.hub.servers;

import io.chatops.hub.auth.Secrets;

/** Agent API keys: {@code cok_} and 32 random bytes in base62 (see {@link Secrets}). */
final class ApiKeys {
    static final String PREFIX = "cok_";
    /** Shown in lists so that people can tell keys apart; far too short to use. */
    static final int VISIBLE_CHARS = 8;

    private ApiKeys() {
    }

    static String generate() {
        return Secrets.generate(PREFIX);
    }

    static String hash(String key) {
        return Secrets.sha256(key);
    }

    static String visiblePrefix(String key) {
        return key.substring(0, Math.min(key.length(), VISIBLE_CHARS));
    }
}
