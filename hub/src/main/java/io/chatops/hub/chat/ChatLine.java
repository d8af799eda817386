package io.chatops.hub.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One chat command as typed (CHATOPS.md): {@code <verb> [target] [args…] [--flag=value…] [-- <shell command>]}.
 * Words are split on blanks, and "double" or 'single' quotes keep blanks inside one word; everything
 * after the first standalone {@code --} is the shell command, verbatim.
 *
 * @param verb  the first word, lower case ("" for an empty line)
 * @param words the words after the verb, flags taken out
 * @param flags {@code --name=value} flags ({@code --name} alone is "true")
 * @param shell the shell command after {@code --}, or null
 */
record ChatLine(String verb, List<String> words, Map<String, String> flags, String shell) {
    /** A chat message is short; anything longer is not a command. */
    static final int MAX_CHARS = 20_000;

    static ChatLine parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new ChatError("that message is " + text.length() + " characters long; commands are at most " + MAX_CHARS);
        }
        List<String> tokens = new ArrayList<>();
        String shell = null;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            if (text.startsWith("--", i) && (i + 2 == text.length() || Character.isWhitespace(text.charAt(i + 2)))) {
                shell = text.substring(i + 2).strip();
                break;
            }
            StringBuilder token = new StringBuilder();
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                char c = text.charAt(i);
                if (c == '"' || c == '\'') {
                    int end = text.indexOf(c, i + 1);
                    if (end < 0) {
                        throw new ChatError("a quote (" + c + ") is not closed");
                    }
                    token.append(text, i + 1, end);
                    i = end + 1;
                } else {
                    token.append(c);
                    i++;
                }
            }
            tokens.add(token.toString());
        }
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (String token : tokens.isEmpty() ? List.<String>of() : tokens.subList(1, tokens.size())) {
            if (token.startsWith("--") && token.length() > 2) {
                int equals = token.indexOf('=');
                flags.put(token.substring(2, equals < 0 ? token.length() : equals).toLowerCase(Locale.ROOT),
                        equals < 0 ? "true" : token.substring(equals + 1));
            } else {
                words.add(token);
            }
        }
        String verb = tokens.isEmpty() ? "" : tokens.get(0).toLowerCase(Locale.ROOT);
        return new ChatLine(verb, List.copyOf(words), Map.copyOf(flags), shell);
    }

    /** The {@code index}-th word, or null. */
    String word(int index) {
        return index < words.size() ? words.get(index) : null;
    }
}
