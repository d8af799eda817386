package io.chatops.hub.servers;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Agent API keys: {@code cok_} and 32 random bytes in base62. Only their SHA-256 is stored, which
 * is also how a presented key is found (one indexed lookup, never a comparison with every key). A
 * fast hash is right here, unlike for passwords: the key carries 190 bits of entropy.
 */
public final class ApiKeys {
    static final String PREFIX = "cok_";
    private static final int RANDOM_BYTES = 32;
    /** Shown in lists so that people can tell keys apart; far too short to use. */
    static final int VISIBLE_CHARS = 8;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        // Base62 of the number the bytes spell: the key is as random as the bytes.
        BigInteger value = new BigInteger(1, bytes);
        StringBuilder text = new StringBuilder();
        BigInteger base = BigInteger.valueOf(62);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            text.append(BASE62[qr[1].intValue()]);
            value = qr[0];
        }
        return PREFIX + text.reverse();
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String visiblePrefix(String key) {
        return key.substring(0, Math.min(key.length(), VISIBLE_CHARS));
    }
}
