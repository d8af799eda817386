package io.chatops.hub.notify;

import io.chatops.hub.text.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Standard Webhooks signatures: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the base64 bytes after {@code whsec_}.
 */
final class WebhookSigner {
    static final String PREFIX = "whsec_";
    /** 24 random bytes: the size Standard Webhooks libraries generate. */
    static final int SECRET_BYTES = 24;

    private WebhookSigner() {
    }

    static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        new java.security.SecureRandom().nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static boolean validSecret(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(secret.substring(PREFIX.length())).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String sign(String secret, String id, long timestampSeconds, String body) {
        byte[] signature = Hmac.sha256(Base64.getDecoder().decode(secret.substring(PREFIX.length())),
                (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(signature);
    }
}
