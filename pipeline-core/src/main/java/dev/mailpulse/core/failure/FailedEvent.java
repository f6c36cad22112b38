package dev.mailpulse.core.failure;

import java.util.Objects;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * An event a stage could not take, kept whole with a typed reason so it can be listed, fixed and replayed.
 *
 * @param workspaceId null when the payload could not be read far enough to know it
 * @param eventId     null likewise
 * @param stage       where it failed
 * @param field       JSON Pointer of the offending field, or null
 * @param payload     the event as received, when it was JSON
 * @param rawPayload  the bytes as received (as text), when they were not
 */
public record FailedEvent(UUID workspaceId, UUID eventId, Stage stage, FailureReason reason, String field, String message,
                          JsonNode payload, String rawPayload) {

    public FailedEvent {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        if (payload == null && rawPayload == null) {
            throw new IllegalArgumentException("a failed event keeps its payload");
        }
    }
}
