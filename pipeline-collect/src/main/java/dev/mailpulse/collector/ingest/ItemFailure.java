package dev.mailpulse.collector.ingest;

import dev.mailpulse.core.failure.FailureReason;
import tools.jackson.databind.JsonNode;

/**
 * An item of a request that the collector cannot take, by its 0-based index in the request: it is named in the
 * answer and kept as a failed event of the {@code collect} stage, so no bad input is dropped unexplained.
 *
 * @param field      JSON Pointer of the offending field, or null
 * @param payload    the item, when it was JSON (recipient addresses withheld)
 * @param rawPayload the item's text, when it was not
 */
public record ItemFailure(int index, FailureReason reason, String field, String message, JsonNode payload, String rawPayload) {

    public static ItemFailure of(int index, FailureReason reason, String field, String message, JsonNode payload) {
        return payload == null || payload.isNull() ? new ItemFailure(index, reason, field, message, null, "null")
                : new ItemFailure(index, reason, field, message, payload, null);
    }

    public static ItemFailure unreadable(int index, String message, String text) {
        return new ItemFailure(index, FailureReason.UNREADABLE, null, message, null, text);
    }
}
