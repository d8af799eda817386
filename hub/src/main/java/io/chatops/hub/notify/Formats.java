package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body each kind of channel gets for a notice: our signed JSON, Slack's Block Kit, Mattermost's
 * attachments, Alertmanager's alerts, or a mail's subject, plain text and HTML (which the
 * {@link Mailer} turns into a message).
 */
final class Formats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {
    }

    static String body(Channel.Type type, Notice notice, Instant now, NoticeButtons buttons) {
        Object body = switch (type) {
            case WEBHOOK -> notice.payload();
            case SLACK -> slack(notice, buttons.slack(notice));
            case MATTERMOST -> mattermost(notice, buttons.mattermost(notice));
            case EMAIL -> mail(notice);
            case ALERTMANAGER -> Alertmanager.body(notice, now);
        };
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a notification", e);
        }
    }

    /** {@code text} is the fallback for notifications and old clients; the blocks are what people see. */
    private static Map<String, Object> slack(Notice notice, List<Map<String, Object>> buttons) {
        List<Map<String, Object>> blocks = new ArrayList<>(List.of(
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + escape(heading(notice)) + "*\n" + escape(notice.title()))),
                Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                        "text", "severity " + escape(notice.severity()) + (notice.link() == null ? "" : " · <" + notice.link() + "|open in ChatOps>"))))));
        if (!buttons.isEmpty()) {
            blocks.add(Map.of("type", "actions", "elements", buttons));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", line(notice));
        body.put("blocks", blocks);
        return body;
    }

    private static Map<String, Object> mattermost(Notice notice, List<Map<String, Object>> buttons) {
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("fallback", line(notice));
        attachment.put("color", colour(notice));
        attachment.put("title", heading(notice));
        if (notice.link() != null) {
            attachment.put("title_link", notice.link());
        }
        attachment.put("text", notice.title());
        attachment.put("fields", List.of(Map.of("short", true, "title", "Severity", "value", notice.severity())));
        if (!buttons.isEmpty()) {
            attachment.put("actions", buttons);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", line(notice));
        body.put("attachments", List.of(attachment));
        return body;
    }

    private static Map<String, Object> mail(Notice notice) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Severity", notice.severity());
        if (notice.payload().get("alert") instanceof Map<?, ?> alert) {
            facts.put("Server", String.valueOf(alert.get("server_name")));
            facts.put("Rule", String.valueOf(alert.get("rule_name")));
            facts.put("Since", String.valueOf(alert.get("firing_at") != null ? alert.get("firing_at") : alert.get("started_at")));
            if (alert.get("resolved_at") != null) {
                facts.put("Resolved", String.valueOf(alert.get("resolved_at")));
            }
        }
        StringBuilder text = new StringBuilder(line(notice)).append("\n\n");
        StringBuilder html = new StringBuilder("<p><strong>").append(html(heading(notice))).append("</strong>: ")
                .append(html(notice.title())).append("</p>\n<table>\n");
        facts.forEach((name, value) -> {
            text.append(name).append(": ").append(value).append('\n');
            html.append("<tr><th align=\"left\">").append(name).append("</th><td>").append(html(value)).append("</td></tr>\n");
        });
        html.append("</table>\n");
        if (notice.link() != null) {
            text.append("\nOpen in ChatOps: ").append(notice.link()).append('\n');
            html.append("<p><a href=\"").append(html(notice.link())).append("\">Open in ChatOps</a></p>\n");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", "[ChatOps] " + line(notice));
        body.put("text", text.toString());
        body.put("html", html.toString());
        return body;
    }

    static String heading(Notice notice) {
        return switch (notice.event()) {
            case "alert.firing" -> "Firing";
            case "alert.resolved" -> "Resolved";
            case "alert.repeat" -> "Still firing";
            default -> "Test from ChatOps";
        };
    }

    private static String line(Notice notice) {
        return heading(notice) + ": " + notice.title();
    }

    private static String colour(Notice notice) {
        if (notice.event().equals("alert.resolved")) {
            return "#17a673";
        }
        return switch (notice.severity()) {
            case "critical" -> "#d7263d";
            case "warning" -> "#f0a202";
            default -> "#2f7ed8";
        };
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Slack's mrkdwn treats &, < and > as markup. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
