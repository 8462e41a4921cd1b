package dev.tlab.messaging;

import dev.tlab.contracts.MalformedEventException;

/**
 * A record value that is refused before anything parses it ({@link IncomingValues}): a null value on a topic that is
 * not compacted, or a value larger than its topic accepts. The failure strategies dead-letter it like any malformed
 * message and count it by {@link #kind()} in {@code tl_messages_refused_total}.
 */
public final class RefusedValueException extends MalformedEventException {
    /** Why a value was refused: the {@code reason} tag of {@code tl_messages_refused_total}. */
    public enum Kind {
        NULL_VALUE("null-value"),
        OVERSIZE("oversize");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Kind kind;

    RefusedValueException(Kind kind, String reason) {
        super("$", reason, null);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
