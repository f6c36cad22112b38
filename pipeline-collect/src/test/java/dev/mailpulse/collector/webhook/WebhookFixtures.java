package dev.mailpulse.collector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.mailpulse.collector.ingest.CollectedEvents;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The providers' documented example payloads (test resources under webhooks/) and checks on what they become. */
public final class WebhookFixtures {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    static final Workspace WORKSPACE = new Workspace(UUID.fromString("8d3f2a10-5c1e-4b7a-9f0e-2b6c7d8e9f01"), "acme", "UTC",
            false, null, Instant.EPOCH);
    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static final CollectedEvents COLLECTED = new CollectedEvents(
            new RecipientPseudonymizer("a-test-secret-of-32-bytes-length".getBytes(StandardCharsets.UTF_8)));

    private WebhookFixtures() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = WebhookFixtures.class.getClassLoader().getResourceAsStream("webhooks/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String resource) {
        return JSON.readTree(bytes(resource));
    }

    /**
     * The events of an outcome, completed as the collector completes them, each checked against its type's schema:
     * a mapping that produced an event the validator would refuse fails here.
     */
    static List<ObjectNode> validEvents(WebhookOutcome outcome, EventSource source) {
        assertThat(outcome).isInstanceOf(WebhookOutcome.Events.class);
        WebhookOutcome.Events events = (WebhookOutcome.Events) outcome;
        // Every recipient of the call (an SES notification names all of them in each event's payload).
        List<String> recipients = events.events().stream().map(item -> item.event().path("recipient"))
                .map(r -> r.isString() ? r.asString() : r.path("address").asString("")).filter(a -> a.contains("@"))
                .map(a -> a.toLowerCase(java.util.Locale.ROOT)).toList();
        assertThat(recipients).as("the adapter names each event's recipient").isNotEmpty();
        return events.events().stream().map(Ingestion.Item::event).map(event -> {
            assertThat(COLLECTED.complete(event, WORKSPACE, source, Instant.parse("2026-11-27T10:00:00Z"))).isEmpty();
            assertThat(SCHEMAS.validate(event)).as(event.toString()).isEmpty();
            String kept = event.toString().toLowerCase(java.util.Locale.ROOT);
            assertThat(recipients).as("no recipient's address is kept in clear, payload and provider id included: " + kept)
                    .noneMatch(kept::contains);
            return event;
        }).toList();
    }

    static List<dev.mailpulse.collector.ingest.ItemFailure> unmapped(WebhookOutcome outcome) {
        return ((WebhookOutcome.Events) outcome).unmapped();
    }
}
