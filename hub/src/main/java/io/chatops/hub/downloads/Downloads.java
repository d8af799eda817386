package io.chatops.hub.downloads;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent artifacts this hub was built with, at {@code /downloads/…} without sign-in, so that a
 * new server needs nothing but the hub: {@code chatops-agent}, the tarball with its own Java
 * runtime, the Debian package {@code chatops-agent.deb}, and {@code SHA256SUMS} to check them.
 */
public final class Downloads {
    static final List<String> FILES = List.of("chatops-agent", "chatops-agent-linux-x64.tar.gz", "chatops-agent.deb");
    private static final String ROOT = "/downloads/";

    private final Map<String, String> sha256 = new LinkedHashMap<>();

    public Downloads() throws IOException {
        for (String file : FILES) {
            try (InputStream in = Downloads.class.getResourceAsStream(ROOT + file)) {
                if (in != null) {
                    sha256.put(file, digest(in));
                }
            }
        }
    }

    public void register(JavalinConfig config) {
        for (String file : FILES) {
            config.routes.get(ROOT + file, ctx -> serve(ctx, file));
        }
        config.routes.get(ROOT + "SHA256SUMS", ctx -> {
            StringBuilder sums = new StringBuilder();
            sha256.forEach((file, hash) -> sums.append(hash).append("  ").append(file).append('\n'));
            ctx.contentType("text/plain; charset=utf-8").result(sums.toString());
        });
    }

    private void serve(Context ctx, String file) {
        InputStream in = Downloads.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            ctx.status(404).json(Map.of("error", Map.of("code", "not_found",
                    "message", "this hub was built without the agent's " + file)));
            return;
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("X-Checksum-SHA256", sha256.get(file))
                .contentType("application/octet-stream")
                .result(in);
    }

    private static String digest(InputStream in) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
                digesting.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
