package io.chatops.agent.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses /proc/self/mountinfo:
 * {@code 42 27 254:0 /var/lib/docker /var/lib/docker rw,relatime shared:1 - ext4 /dev/vda rw}.
 * The mount table changes rarely, so this runs only when the file's content changed.
 */
final class MountInfoParser {
    private MountInfoParser() {
    }

    static List<Mount> parse(ByteText text) {
        List<Mount> mounts = new ArrayList<>();
        while (!text.atEnd()) {
            text.nextLong(); // mount id
            text.nextLong(); // parent id
            String deviceId = text.nextField();
            String root = unescape(text.nextField());
            String mountPoint = unescape(text.nextField());
            text.skipField(); // mount options
            String field = text.nextField();
            while (!field.equals("-") && !field.isEmpty()) {
                field = text.nextField(); // optional fields: shared:1, master:2, …
            }
            String fsType = text.nextField();
            String source = unescape(text.nextField());
            text.skipField(); // super options
            if (!text.restOfLine().isBlank()) { // and on to the next line
                throw new IllegalStateException("a line of /proc/self/mountinfo goes on past its super options");
            }
            if (!mountPoint.isEmpty() && !fsType.isEmpty()) {
                mounts.add(new Mount(deviceId, root, mountPoint, fsType, source));
            }
        }
        if (mounts.isEmpty()) {
            // Every process sees at least its root: none means the file is not what the kernel writes.
            throw new IllegalStateException("no mount in /proc/self/mountinfo");
        }
        return mounts;
    }

    /** The kernel writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
