package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/** The envelope every message carries (docs/spec.md §5): identity, kind, wire version and time. */
public interface Event {
    UUID eventId();

    String type();

    Integer schemaVersion();

    Instant occurredAt();
}
