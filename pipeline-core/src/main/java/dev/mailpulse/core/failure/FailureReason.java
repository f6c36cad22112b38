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
    /** A value no store can keep: a NUL or a lone surrogate in a string, a number out of range, nesting too deep. */
    UNSTORABLE_VALUE,
    /** A stage failed on this item for a reason of its own (a bug); the message says what, the other items went on. */
    PROCESSING_ERROR,
    /** The event store refused the event (a constraint it breaks). */
    STORE_REJECTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureReason fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
