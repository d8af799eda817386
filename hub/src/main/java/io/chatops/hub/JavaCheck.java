package io.chatops.hub;

/**
 * The jar's entry point, compiled for Java 8 so that an older Java runs it: there it says in one
 * line which Java the hub needs and where to get one, instead of an UnsupportedClassVersionError.
 * On Java 21 or newer it hands over to {@link Main}, which is not loaded before that call.
 */
public final class JavaCheck {
    static final int NEEDED = 21;

    private JavaCheck() {
    }

    public static void main(String[] args) throws Exception {
        String version = System.getProperty("java.specification.version");
        // "1.8" up to Java 8, then "9", "17", "21"…
        int feature = Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version);
        if (feature < NEEDED) {
            System.err.println("chatops-hub needs Java " + NEEDED + " or newer, and this is Java "
                    + System.getProperty("java.version") + " (" + System.getProperty("java.home")
                    + "): install the chatops-hub package, which brings its own, or a JDK " + NEEDED
                    + " from https://adoptium.net/");
            System.exit(1);
        }
        Main.main(args);
    }
}
