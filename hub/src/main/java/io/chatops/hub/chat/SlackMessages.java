package io.chatops.hub.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reply as a Slack message (INTEGRATIONS.md §1.6): a {@code text} fallback, the answer in mrkdwn
 * sections (output in ``` blocks, each section within Slack's 3 000 characters, the tail kept when
 * output is cut) and its buttons, Approve with a confirm dialog.
 */
final class SlackMessages {
    static final int SECTION_CHARS = 2_900;
    static final int MAX_BLOCKS = 45;

    private SlackMessages() {
    }

    /** {@code responseType} is {@code in_channel} or {@code ephemeral}. */
    static Map<String, Object> of(Reply reply, String responseType, boolean replaceOriginal) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        String[] pieces = reply.text().split("```", -1);
        for (int i = 0; i < pieces.length && blocks.size() < MAX_BLOCKS; i++) {
            boolean code = i % 2 == 1;
            String piece = code ? pieces[i].replaceAll("^\\n|\\n$", "") : pieces[i].strip();
            if (piece.isEmpty()) {
                continue;
            }
            String shown = escape(code ? tail(piece) : head(piece));
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", code ? "```" + shown + "```" : shown)));
        }
        if (!reply.buttons().isEmpty()) {
            List<Map<String, Object>> elements = new ArrayList<>();
            for (int i = 0; i < reply.buttons().size(); i++) {
                elements.add(button(reply.buttons().get(i), i));
            }
            blocks.add(Map.of("type", "actions", "elements", elements));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("response_type", responseType);
        if (replaceOriginal) {
            message.put("replace_original", true);
        }
        String firstLine = reply.text().lines().findFirst().orElse("");
        message.put("text", head(firstLine));
        message.put("blocks", blocks);
        return message;
    }

    /** A Block Kit button whose value is its command; Approve and the dangerous ones ask first. */
    static Map<String, Object> button(Reply.Button button, int index) {
        Map<String, Object> element = new LinkedHashMap<>();
        element.put("type", "button");
        element.put("action_id", "chatops-" + index);
        element.put("text", Map.of("type", "plain_text", "text", button.label()));
        element.put("value", button.command());
        element.put("style", button.danger() ? "danger" : "primary");
        if (button.command().startsWith("approve ")) {
            element.put("confirm", Map.of("title", Map.of("type", "plain_text", "text", "Approve?"),
                    "text", Map.of("type", "plain_text", "text", "This runs another operator's request as they asked it."),
                    "confirm", Map.of("type", "plain_text", "text", "Approve"), "deny", Map.of("type", "plain_text", "text", "Cancel")));
        } else if (button.danger()) {
            element.put("confirm", Map.of("title", Map.of("type", "plain_text", "text", button.label() + "?"),
                    "text", Map.of("type", "plain_text", "text", "This runs `" + button.command() + "` as you."),
                    "confirm", Map.of("type", "plain_text", "text", button.label()), "deny", Map.of("type", "plain_text", "text", "Cancel")));
        }
        return element;
    }

    /** Slack's own escaping: &, < and > are markup. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Slack's escaping undone, and its links and mentions as the person typed them: {@code <http://x|x>} → {@code http://x}. */
    static String unescape(String text) {
        String links = text.replaceAll("<((?:https?|mailto):[^|>]*)\\|[^>]*>", "$1").replaceAll("<((?:https?|mailto):[^>]*)>", "$1");
        return links.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String head(String text) {
        return text.length() <= SECTION_CHARS ? text : text.substring(0, SECTION_CHARS) + "…";
    }

    private static String tail(String text) {
        return text.length() <= SECTION_CHARS ? text : "… (cut; the hub has it all)\n" + text.substring(text.length() - SECTION_CHARS);
    }
}
