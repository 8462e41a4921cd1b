package dev.tlab.contracts;

import java.util.List;
import java.util.UUID;

/** Checks used by the records' compact constructors, so that every rejection names its field. */
public final class Fields {
    private Fields() {}

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }

    public static String requiredText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidFieldException(field, "is required and must not be blank");
        }
        return value;
    }

    /** A value quoted for an error message, cut short so that a huge value never floods a reason or a header. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 80
                ? "'" + value + "'"
                : "'" + value.substring(0, 80) + "...' (" + value.length() + " characters)";
    }

    /** Null passes; longer text is rejected without echoing it. */
    public static String maxLength(String value, int max, String field) {
        if (value != null && value.length() > max) {
            throw new InvalidFieldException(field, "must be at most " + max + " characters, was " + value.length());
        }
        return value;
    }

    /** Null passes; anything else must be a sha256 as 64 lower-case hexadecimal characters. */
    public static String sha256(String value, String field) {
        if (value != null && !value.matches("[0-9a-f]{64}")) {
            throw new InvalidFieldException(field, "must be 64 lower-case hexadecimal characters (a sha256)");
        }
        return value;
    }

    public static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /**
     * The list copied, or the fallback when it is missing. An empty list is refused, not read as "the default": a
     * request that says {@code "seeds": []} means something, and silently training the defaults is not it.
     */
    public static <T> List<T> listOrDefault(List<T> value, List<T> fallback, String field) {
        if (value == null) {
            return List.copyOf(fallback);
        }
        return notEmpty(noNullItems(value, field), field);
    }

    /** Null passes (the field was left out); an empty list is refused naming the field. */
    public static <T> List<T> notEmpty(List<T> value, String field) {
        if (value != null && value.isEmpty()) {
            throw new InvalidFieldException(field, "must not be empty; leave the field out to get its default");
        }
        return value;
    }

    /** A required id that is not the nil UUID (all zeros), which stands for "no id" rather than naming anything. */
    public static UUID requiredId(UUID value, String field) {
        required(value, field);
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new InvalidFieldException(field, "must not be the nil UUID " + value + "; use a random UUID");
        }
        return value;
    }

    /** A copy of the list; a null item is rejected naming its index ({@code seeds[2]}). */
    public static <T> List<T> noNullItems(List<T> value, String field) {
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) == null) {
                throw new InvalidFieldException(field + "[" + i + "]", "must not be null");
            }
        }
        return List.copyOf(value);
    }

    /** Glob patterns of parameter names: the fallback when missing, else at least one, none blank. */
    public static List<String> patterns(List<String> value, List<String> fallback, String field) {
        List<String> patterns = listOrDefault(value, fallback, field);
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).isBlank()) {
                throw new InvalidFieldException(field + "[" + i + "]", "must not be blank");
            }
        }
        return patterns;
    }

    public static int intInRange(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static double positive(double value, double max, String field) {
        if (!(value > 0) || value > max) {
            throw new InvalidFieldException(field, "must be > 0 and <= " + max + ", was " + value);
        }
        return value;
    }

    public static double inHalfOpenUnit(double value, String field) {
        if (!(value >= 0) || value >= 1) {
            throw new InvalidFieldException(field, "must be in [0, 1), was " + value);
        }
        return value;
    }

    public static int schemaVersion(Integer value, int supported, String type) {
        if (value == null) {
            throw new InvalidFieldException("schemaVersion", "is required");
        }
        if (value < 1 || value > supported) {
            throw new InvalidFieldException(
                    "schemaVersion",
                    "version " + value + " of " + type + " is not supported (this build reads 1.." + supported + ")");
        }
        return value;
    }

    /** Checks the envelope every event carries and returns its schema version. */
    public static int envelope(
            Object eventId, String type, String expectedType, Integer schemaVersion, int supported, Object occurredAt) {
        required(eventId, "eventId");
        type(type, expectedType);
        int version = schemaVersion(schemaVersion, supported, expectedType);
        required(occurredAt, "occurredAt");
        return version;
    }

    public static String type(String value, String expected) {
        if (value == null) {
            throw new InvalidFieldException("type", "is required");
        }
        if (!expected.equals(value)) {
            throw new InvalidFieldException("type", "must be '" + expected + "', was " + quote(value));
        }
        return value;
    }
}
