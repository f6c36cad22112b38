package dev.mailpulse.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical envelope of every MailPulse event, whatever its source.
 *
 * <p>{@code eventId} is the idempotency key: a provider's redelivery or a client's retry carries the same id, and the
 * raw store is unique on {@code (workspace_id, event_id, occurred_at)}. Subject fields that do not apply to a family are null.
 * {@code attributes} holds the typed attributes of the event's type (see its JSON Schema); {@code enrichment} is
 * written by processor-enrich only; {@code providerPayload} is a webhook's original payload, kept for audit (or null).
 */
public record Event(
        UUID eventId,
        UUID workspaceId,
        EventType type,
        int schemaVersion,
        Instant occurredAt,
        Instant receivedAt,
        EventSource source,
        String providerEventId,
        String campaignId,
        String messageId,
        Recipient recipient,
        String linkUrl,
        String userAgent,
        String ip,
        ObjectNode attributes,
        ObjectNode enrichment,
        ObjectNode providerPayload) {

    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(source, "source");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be at least 1, was " + schemaVersion);
        }
        attributes = attributes == null ? JsonNodeFactory.instance.objectNode() : attributes;
        enrichment = enrichment == null ? JsonNodeFactory.instance.objectNode() : enrichment;
    }

    /** The same event with the enrichment replaced; everything else is kept as received. */
    public Event withEnrichment(ObjectNode newEnrichment) {
        return new Event(eventId, workspaceId, type, schemaVersion, occurredAt, receivedAt, source, providerEventId,
                campaignId, messageId, recipient, linkUrl, userAgent, ip, attributes, newEnrichment, providerPayload);
    }
}
