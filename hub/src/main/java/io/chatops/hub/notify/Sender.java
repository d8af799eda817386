package io.chatops.hub.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One attempt to hand a notification to its receiver: a POST with a 10 s limit, signed with
 * Standard Webhooks headers for webhook channels, redirects not followed; a mail through the
 * {@link Mailer}. Says whether to try again.
 */
final class Sender {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Enough of a receiver's answer to tell what went wrong, not enough to fill the database. */
    static final int MAX_ERROR_CHARS = 300;

    /** @param retryAfter what the receiver asked for (429's Retry-After), or null */
    record Result(boolean delivered, boolean retry, Duration retryAfter, String error) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Mailer mailer = new Mailer();
    private final Clock clock;

    Sender(Clock clock) {
        this.clock = clock;
    }

    Result send(Channel channel, String id, String body) {
        return switch (channel.type()) {
            case EMAIL -> mailer.send(MailSettings.of(channel.config()), id, body);
            case ALERTMANAGER -> post(channel, id, Alertmanager.atSend(body, clock.instant()));
            case WEBHOOK, SLACK, MATTERMOST -> post(channel, id, body);
        };
    }

    private Result post(Channel channel, String id, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channel.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("User-Agent", "chatops-hub")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String login = channel.type() == Channel.Type.ALERTMANAGER ? Alertmanager.authorization((String) channel.config().get("url")) : null;
        if (login != null) {
            request.header("Authorization", login);
        }
        if (channel.type() == Channel.Type.WEBHOOK) {
            long timestamp = clock.instant().getEpochSecond();
            request.header("webhook-id", id).header("webhook-timestamp", String.valueOf(timestamp))
                    .header("webhook-signature", WebhookSigner.sign(channel.secret(), id, timestamp, body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Result(true, false, null, null);
            }
            String error = "HTTP " + status + ": " + shorten(response.body());
            boolean again = status == 408 || status == 425 || status == 429 || status >= 500;
            return new Result(false, again, status == 429 ? retryAfter(response.headers().firstValue("Retry-After")) : null, error);
        } catch (HttpTimeoutException e) {
            return new Result(false, true, null, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new Result(false, true, null, shorten(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, true, null, "interrupted while sending");
        }
    }

    private static Duration retryAfter(Optional<String> header) {
        try {
            return header.map(value -> Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())))).orElse(null);
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the usual backoff will do
        }
    }

    static String shorten(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_ERROR_CHARS ? oneLine : oneLine.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
