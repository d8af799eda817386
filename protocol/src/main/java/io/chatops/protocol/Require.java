package io.chatops.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Field checks shared by the message records; each names the JSON field it rejects. */
final class Require {
    private Require() {
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }

    static String text(String field, String value) {
        if (present(field, value).isBlank()) {
            throw new InvalidFieldException(field, "must not be blank");
        }
        return value;
    }

    /** Optional text: null is allowed, blank is not. */
    static String optionalText(String field, String value) {
        return value == null ? null : text(field, value);
    }

    static long positive(String field, long value) {
        if (value <= 0) {
            throw new InvalidFieldException(field, "must be a positive integer");
        }
        return value;
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidFieldException(field, "must not be negative");
        }
        return value;
    }

    static Long optionalNonNegative(String field, Long value) {
        return value == null ? null : nonNegative(field, value);
    }

    static int between(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    static Integer optionalBetween(String field, Integer value, int min, int max) {
        return value == null ? null : between(field, value, min, max);
    }

    static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number not below 0");
        }
        return value;
    }

    static Double optionalNonNegative(String field, Double value) {
        return value == null ? null : nonNegative(field, value);
    }

    static double percent(String field, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new InvalidFieldException(field, "must be a percentage between 0 and 100");
        }
        return value;
    }

    static Double optionalPercent(String field, Double value) {
        return value == null ? null : percent(field, value);
    }

    /** A temperature a sensor can report: not below absolute zero, and not absurdly high either. */
    static double celsius(String field, double value) {
        if (!(value >= -273.15 && value <= 10_000)) {
            throw new InvalidFieldException(field, "must be a temperature between -273.15 and 10000 degrees Celsius");
        }
        return value;
    }

    /** A required list, copied so that the record stays immutable. */
    static <T> List<T> list(String field, List<T> value) {
        return List.copyOf(present(field, value));
    }

    static <T> List<T> optionalList(String field, List<T> value) {
        return value == null ? null : List.copyOf(value);
    }

    /** A list (or none) of at most {@code max} entries. */
    static void atMost(String field, List<?> value, int max) {
        if (value != null && value.size() > max) {
            throw new InvalidFieldException(field, "holds more than " + max + " entries");
        }
    }

    static <K, V> Map<K, V> optionalMap(Map<K, V> value) {
        return value == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }
}
