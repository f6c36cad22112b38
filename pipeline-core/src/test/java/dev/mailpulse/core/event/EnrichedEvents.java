package dev.mailpulse.core.event;

import java.time.Instant;
import java.util.UUID;

import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test fixtures for other modules' tests (pipeline-core's test-jar): e-mail events as processor-enrich emits them,
 * each a message of its own to a recipient of its own at one mailbox provider's domain, sent by a human's client.
 */
public final class EnrichedEvents {

    private EnrichedEvents() {
    }

    /** An event of {@code type} at {@code at} to a recipient at {@code provider}'s domain ({@code provider.com}). */
    public static Event email(UUID workspace, String type, Instant at, String provider, String campaign) {
        return email(workspace, type, at, provider, campaign, WireJson.MAPPER.createObjectNode());
    }

    /** The same with the type's attributes (a bounce's kind). */
    public static Event email(UUID workspace, String type, Instant at, String provider, String campaign, ObjectNode attributes) {
        ObjectNode json = envelope(workspace, type, at, attributes);
        json.put("campaign_id", campaign);
        json.put("message_id", "<" + UUID.randomUUID() + "@" + campaign + ">");
        json.putObject("recipient").put("hash", UUID.randomUUID().toString()).put("domain", provider + ".com");
        json.putObject("enrichment").put("mailbox_provider", provider).put("automated", false);
        return EventJson.fromJson(json);
    }

    /** An infrastructure report ({@code infrastructure.smtp_status}, ...) with its attributes, sent to our API by a monitor. */
    public static Event infrastructure(UUID workspace, String type, Instant at, ObjectNode attributes) {
        ObjectNode json = envelope(workspace, type, at, attributes);
        json.putObject("enrichment");
        return EventJson.fromJson(json);
    }

    /** What every event has: received through the API when it occurred. */
    private static ObjectNode envelope(UUID workspace, String type, Instant at, ObjectNode attributes) {
        ObjectNode json = WireJson.MAPPER.createObjectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspace.toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        json.set("attributes", attributes);
        return json;
    }
}
