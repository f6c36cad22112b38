package dev.mailpulse.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CollectedEventsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final CollectedEvents events = new CollectedEvents(
            new RecipientPseudonymizer("a-test-secret-of-32-bytes-length".getBytes(StandardCharsets.UTF_8)));
    private final Workspace workspace = new Workspace(UUID.randomUUID(), "acme", "UTC", false, null, Instant.EPOCH);

    @Test
    void theWorkspaceSourceAndTimeOfReceiptComeFromTheCollectorNotTheBody() {
        ObjectNode event = event("{\"source\":\"sendgrid\",\"received_at\":\"1999-01-01T00:00:00Z\",\"type\":\"email.send\"}");
        assertThat(events.complete(event, workspace, EventSource.API, NOW)).isEmpty();
        assertThat(event.get("workspace_id").asString()).isEqualTo(workspace.id().toString());
        assertThat(event.get("source").asString()).isEqualTo("api");
        assertThat(event.get("received_at").asString()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(UUID.fromString(event.get("event_id").asString())).isNotNull();
    }

    @Test
    void anEventClaimingAnotherWorkspaceIsRefused() {
        ObjectNode event = event("{\"workspace_id\":\"" + UUID.randomUUID() + "\"}");
        assertThat(events.complete(event, workspace, EventSource.API, NOW)).get().extracting(CollectedEvents.Refusal::message).asString().contains("another workspace");
    }

    @Test
    void keepsTheSendersEventIdAndLetsOurOwnMonitoringSayInternal() {
        ObjectNode event = event("{\"event_id\":\"0b7e0006-6d1c-4f3a-9e2b-000000000007\",\"source\":\"internal\"}");
        events.complete(event, workspace, EventSource.API, NOW);
        assertThat(event.get("event_id").asString()).isEqualTo("0b7e0006-6d1c-4f3a-9e2b-000000000007");
        assertThat(event.get("source").asString()).isEqualTo("internal");
    }

    @Test
    void recipientsArePseudonymisedUnlessTheWorkspaceKeepsAddresses() {
        ObjectNode plain = event("{\"recipient\":\"Jane@Example.com\"}");
        events.complete(plain, workspace, EventSource.API, NOW);
        assertThat(plain.get("recipient").has("address")).isFalse();
        assertThat(plain.get("recipient").get("domain").asString()).isEqualTo("example.com");

        ObjectNode kept = event("{\"recipient\":{\"address\":\"Jane@Example.com\"}}");
        Workspace keeping = new Workspace(workspace.id(), "acme", "UTC", true, null, Instant.EPOCH);
        events.complete(kept, keeping, EventSource.API, NOW);
        assertThat(kept.get("recipient").get("address").asString()).isEqualTo("jane@example.com");
        assertThat(kept.get("recipient").get("hash").asString()).isEqualTo(plain.get("recipient").get("hash").asString());
    }

    @Test
    void anUnusableAddressIsRefusedAndNotPassedOnInClear() {
        ObjectNode event = event("{\"recipient\":\"jane.example.com\"}");
        assertThat(events.complete(event, workspace, EventSource.API, NOW)).get().extracting(CollectedEvents.Refusal::message).asString()
                .contains("recipient").doesNotContain("jane.example.com");
        assertThat(event.has("recipient")).isFalse();
    }

    private static ObjectNode event(String json) {
        return (ObjectNode) JSON.readTree(json);
    }
}
