package dev.mailpulse.core.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.UUID;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.event.Recipient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the wire form of {@link Event} (snake_case JSON, the form the schemas describe).
 *
 * <p>{@link #fromJson} expects an event that passed {@link dev.mailpulse.core.schema.EventSchemas#validate}; whatever
 * the item holds, it throws only {@link IllegalArgumentException}, its message starting with the field's JSON Pointer.
 */
public final class EventJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * RFC 3339: any offset, {@code T} and {@code Z} in either case, and a leap second ({@code 23:59:60Z}), which is
     * read as the second before it, as {@link DateTimeFormatter#ISO_INSTANT} does.
     */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_INSTANT).toFormatter();

    private EventJson() {
    }

    public static ObjectNode toJson(Event event) {
        ObjectNode json = NODES.objectNode();
        json.put("event_id", event.eventId().toString());
        json.put("workspace_id", event.workspaceId().toString());
        json.put("type", event.type().wireName());
        json.put("schema_version", event.schemaVersion());
        json.put("occurred_at", event.occurredAt().toString());
        json.put("received_at", event.receivedAt().toString());
        json.put("source", event.source().wireName());
        putIfPresent(json, "provider_event_id", event.providerEventId());
        putIfPresent(json, "campaign_id", event.campaignId());
        putIfPresent(json, "message_id", event.messageId());
        if (event.recipient() != null) {
            ObjectNode recipient = json.putObject("recipient");
            recipient.put("hash", event.recipient().hash());
            recipient.put("domain", event.recipient().domain());
            putIfPresent(recipient, "address", event.recipient().address());
        }
        putIfPresent(json, "link_url", event.linkUrl());
        putIfPresent(json, "user_agent", event.userAgent());
        putIfPresent(json, "ip", event.ip());
        if (!event.attributes().isEmpty()) {
            json.set("attributes", event.attributes());
        }
        if (!event.enrichment().isEmpty()) {
            json.set("enrichment", event.enrichment());
        }
        if (event.providerPayload() != null) {
            json.set("provider_payload", event.providerPayload());
        }
        return json;
    }

    public static Event fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(": an event must be a JSON object");
        }
        JsonNode recipient = json.get("recipient");
        if (recipient != null && !recipient.isNull() && !recipient.isObject()) {
            throw new IllegalArgumentException("/recipient: an object is required");
        }
        try {
            return read(json, recipient);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException(": " + e.getMessage() + " is required", e);
        }
    }

    /** An RFC 3339 timestamp as an instant. */
    public static Instant parseTimestamp(String text) {
        try {
            return Instant.from(RFC_3339.parse(text));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not an RFC 3339 timestamp: " + e.getMessage(), e);
        }
    }

    private static Event read(JsonNode json, JsonNode recipient) {
        return new Event(
                uuid(json, "event_id"),
                uuid(json, "workspace_id"),
                EventType.fromWireName(required(json, "type"))
                        .orElseThrow(() -> new IllegalArgumentException("/type: unknown event type")),
                json.path("schema_version").asInt(0),
                instant(json, "occurred_at"),
                instant(json, "received_at"),
                EventSource.fromWireName(required(json, "source"))
                        .orElseThrow(() -> new IllegalArgumentException("/source: unknown source")),
                optional(json, "provider_event_id"),
                optional(json, "campaign_id"),
                optional(json, "message_id"),
                recipient == null || recipient.isNull() ? null
                        : new Recipient(required(recipient, "hash"), required(recipient, "domain"), optional(recipient, "address")),
                optional(json, "link_url"),
                optional(json, "user_agent"),
                optional(json, "ip"),
                object(json, "attributes"),
                object(json, "enrichment"),
                object(json, "provider_payload"));
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static String required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("/" + field + ": a string is required");
        }
        return value.asString();
    }

    private static String optional(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && value.isContainer()) {
            throw new IllegalArgumentException("/" + field + ": a string is required");
        }
        return WireJson.text(value);
    }

    private static UUID uuid(JsonNode json, String field) {
        try {
            return UUID.fromString(required(json, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("/" + field + ": not a UUID", e);
        }
    }

    private static Instant instant(JsonNode json, String field) {
        try {
            return parseTimestamp(required(json, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("/" + field + ": not an RFC 3339 timestamp", e);
        }
    }

    private static ObjectNode object(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("/" + field + ": an object is required");
        }
        return (ObjectNode) value.deepCopy();
    }
}
