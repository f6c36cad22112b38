package dev.mailpulse.core.failure;

import java.util.Locale;

/** Why an event failed a stage of the pipeline; stored as its lower-case name. */
public enum FailureReason {
    /** The payload is not readable as an event at all (not JSON, not an object). */
    UNREADABLE,
    /** {@code type} names no known event type. */
    UNKNOWN_TYPE,
    /** The type has no schema of that {@code schema_version}. */
    UNKNOWN_SCHEMA_VERSION,
    /** The event breaks its type's schema. */
    SCHEMA_VIOLATION,
    /** The event time is too far in the future or older than the accepted age. */
    TIME_OUT_OF_RANGE,
    /** The workspace does not exist. */
    UNKNOWN_WORKSPACE,
    /** The event store refused the event (a constraint it breaks). */
    STORE_REJECTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureReason fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
