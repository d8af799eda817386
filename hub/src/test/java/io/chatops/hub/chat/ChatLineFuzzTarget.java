package io.chatops.hub.chat;

import java.nio.charset.StandardCharsets;

/**
 * The chat grammar's parser as a fuzz target (Jazzer's convention; {@code scripts/bench-faults fuzz}
 * fuzzes it, {@code FuzzCorpusTest} replays the kept corpus on every build): any text parses into a
 * command whose verb is lower case and whose words hold no blank outside quotes, or is refused with
 * the parser's own {@link ChatError}. Anything else escapes, and is a finding.
 */
public final class ChatLineFuzzTarget {
    private ChatLineFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ChatLine line;
        try {
            line = ChatLine.parse(text);
        } catch (ChatError refused) {
            return;
        }
        if (!line.verb().equals(line.verb().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalStateException("verb not lower case: " + line.verb());
        }
        if (line.shell() != null && !text.contains(line.shell())) {
            throw new IllegalStateException("the shell command is not the text after --: " + line.shell());
        }
    }
}
