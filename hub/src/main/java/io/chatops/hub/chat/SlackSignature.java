package io.chatops.hub.chat;

import io.chatops.hub.http.ApiError;
import io.chatops.hub.text.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slack's request signing (CHATOPS.md, INTEGRATIONS.md §1.2): {@code v0=} + hex HMAC-SHA256 of
 * {@code v0:<timestamp>:<raw body>} with the app's signing secret, compared in constant time over
 * the raw bytes. A timestamp more than five minutes away (either way) and a signature seen before
 * within that window are refused: a captured request cannot be played again.
 */
final class SlackSignature {
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** Signatures remembered for replay checks at most: far more than Slack sends in five minutes. */
    static final int MAX_REMEMBERED = 50_000;

    private final Clock clock;
    /** Seen signatures and when they stop mattering, oldest first. */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    SlackSignature(Clock clock) {
        this.clock = clock;
    }

    /** Refuses with 401, naming the problem, unless the request is Slack's, fresh, and not seen before. */
    void verify(String secret, String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null) {
            throw ApiError.unauthorized("missing X-Slack-Request-Timestamp or X-Slack-Signature");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw ApiError.unauthorized("X-Slack-Request-Timestamp is not a number of seconds");
        }
        Instant now = clock.instant();
        Instant sent = Instant.ofEpochSecond(seconds);
        if (Duration.between(sent, now).abs().compareTo(WINDOW) > 0) {
            throw ApiError.unauthorized("the request's timestamp is more than 5 minutes from the hub's clock");
        }
        byte[] expected = sign(secret, timestamp.strip(), body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw ApiError.unauthorized("the request's signature does not match the signing secret");
        }
        synchronized (seen) {
            for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Instant> entry = it.next();
                if (entry.getValue().isAfter(now) && seen.size() < MAX_REMEMBERED) {
                    break;
                }
                it.remove();
            }
            if (seen.putIfAbsent(signature.strip(), now.plus(WINDOW.multipliedBy(2))) != null) {
                throw ApiError.unauthorized("this request was received before; a replay is refused");
            }
        }
    }

    /** {@code v0=<hex>} for these bytes. */
    static String sign(String secret, String timestamp, byte[] body) {
        return "v0=" + HexFormat.of().formatHex(Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8),
                ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body));
    }
}
