package io.chatops.hub.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Bearer secrets (agent keys, API tokens, session tokens): a prefix and 32 random bytes in base62,
 * stored only as their SHA-256, which is also how a presented secret is found (one indexed lookup).
 * A fast hash is right for these, unlike for passwords: each carries 190 bits of entropy.
 */
public final class Secrets {
    private static final int RANDOM_BYTES = 32;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        BigInteger value = new BigInteger(1, bytes);
        StringBuilder text = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] quotientAndRemainder = value.divideAndRemainder(SIXTY_TWO);
            text.append(BASE62[quotientAndRemainder[1].intValue()]);
            value = quotientAndRemainder[0];
        }
        return prefix + text.reverse();
    }

    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
