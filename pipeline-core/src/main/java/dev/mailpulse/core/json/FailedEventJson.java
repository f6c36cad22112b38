package dev.mailpulse.core.json;

import java.util.UUID;

import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The wire form of {@link FailedEvent} on the failed-events destination. */
public final class FailedEventJson {

    private FailedEventJson() {
    }

    public static ObjectNode toJson(FailedEvent failed) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (failed.workspaceId() != null) {
            json.put("workspace_id", failed.workspaceId().toString());
        }
        if (failed.eventId() != null) {
            json.put("event_id", failed.eventId().toString());
        }
        json.put("stage", failed.stage().wireName());
        json.put("reason", failed.reason().code());
        if (failed.field() != null) {
            json.put("field", failed.field());
        }
        json.put("message", failed.message());
        if (failed.payload() != null) {
            json.set("payload", failed.payload());
        }
        if (failed.rawPayload() != null) {
            json.put("raw_payload", failed.rawPayload());
        }
        return json;
    }

    public static FailedEvent fromJson(JsonNode json) {
        return new FailedEvent(
                WireJson.uuid(json.get("workspace_id")),
                WireJson.uuid(json.get("event_id")),
                Stage.fromWireName(String.valueOf(WireJson.text(json.get("stage"))))
                        .orElseThrow(() -> new IllegalArgumentException("a failure names no stage of the pipeline")),
                FailureReason.fromCode(String.valueOf(WireJson.text(json.get("reason")))),
                WireJson.text(json.get("field")),
                WireJson.text(json.get("message")),
                json.hasNonNull("payload") ? json.get("payload") : null,
                WireJson.text(json.get("raw_payload")));
    }
}
