package io.chatops.hub.text;

import java.util.regex.Pattern;

/** Shell-style name patterns, as people type them for servers and containers: {@code *} and {@code ?}, nothing else. */
public final class Glob {
    private Glob() {
    }

    public static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    /** {@code web-*} as a pattern that must match a whole name; every other character stands for itself. */
    public static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
