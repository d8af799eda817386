package io.chatops.agent.docker;

/**
 * Checks a container reference before any request is built from it: a Docker container name
 * ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}, as Docker itself allows) or an id of 12 to 64 hex digits.
 * Nothing else reaches Docker, so a reference can never change the request's path or query.
 */
final class ContainerRef {
    /** Docker's own names are far shorter; this keeps a hostile reference from becoming a long URL. */
    static final int MAX_LENGTH = 128;

    private ContainerRef() {
    }

    /** Null when {@code ref} is acceptable, else what is wrong with it. */
    static String problem(String ref) {
        if (ref == null || ref.isEmpty()) {
            return "a container name or id is required";
        }
        if (ref.length() > MAX_LENGTH) {
            return "a container reference is at most " + MAX_LENGTH + " characters";
        }
        char first = ref.charAt(0);
        if (!isAlnum(first)) {
            return "a container name starts with a letter or digit";
        }
        for (int i = 1; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '.' && c != '-') {
                return "a container name has only letters, digits, '_', '.' and '-'";
            }
        }
        return null;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
