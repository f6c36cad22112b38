package dev.mailpulse.core.schema;

/**
 * Why an event does not conform to the schema of its type and version.
 *
 * @param field JSON Pointer of the offending field ({@code ""} for the event itself)
 */
public record SchemaViolation(Kind kind, String field, String message) {

    public enum Kind {
        /** {@code type} names no known event type. */
        UNKNOWN_TYPE,
        /** The type is known but has no schema of that {@code schema_version}. */
        UNKNOWN_SCHEMA_VERSION,
        /** The event breaks its type's schema. */
        INVALID
    }
}
