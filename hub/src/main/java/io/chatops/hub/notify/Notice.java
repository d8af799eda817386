package io.chatops.hub.notify;

import java.util.Map;

/**
 * What to tell people, whatever the channel: the event ({@code alert.firing}, {@code alert.resolved},
 * {@code alert.repeat}, {@code test}), a one-line title, a severity for colour, and the versioned
 * JSON that webhook receivers get (ALERTS.md's webhook body).
 *
 * @param alertId the alert it is about, or null for a test; notifications of one alert go out in order
 */
public record Notice(String event, String alertId, String title, String severity, String link, Map<String, Object> payload) {
}
