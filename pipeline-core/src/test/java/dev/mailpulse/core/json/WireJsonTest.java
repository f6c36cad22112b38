package dev.mailpulse.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.core.failure.Stage;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class WireJsonTest {

    private static final UUID WORKSPACE = UUID.fromString("3b1f6c52-8e0a-4d57-9c1e-6a2f0b7d4e11");

    @Test
    void everyItemThatCannotBeReadBecomesAFailureOfItsOwnNamingTheStageTheFieldAndTheWorkspace() {
        ObjectNode good = EventJson.toJson(new Event(UUID.randomUUID(), WORKSPACE, EventType.EMAIL_OPEN, 1, Instant.parse("2026-11-30T10:00:00Z"),
                Instant.parse("2026-11-30T10:00:01Z"), EventSource.API, null, null, null, null, null, null, null,
                WireJson.MAPPER.createObjectNode(), WireJson.MAPPER.createObjectNode(), null));
        ObjectNode badTime = good.deepCopy().put("event_id", UUID.randomUUID().toString()).put("occurred_at", "yesterday");
        ArrayNode message = WireJson.MAPPER.createArrayNode().add(good).add(badTime).add("not an event").add(good);

        Items<Event> items = WireJson.decode(WireJson.MAPPER.writeValueAsBytes(message), Stage.STORE, EventJson::fromJson);

        assertThat(items.items()).extracting(Event::eventId).hasSize(2).containsOnly(UUID.fromString(good.get("event_id").asString()));
        assertThat(items.failures()).hasSize(2).allSatisfy(failure -> {
            assertThat(failure.stage()).isEqualTo(Stage.STORE);
            assertThat(failure.reason()).isEqualTo(FailureReason.UNREADABLE);
        });
        FailedEvent time = items.failures().get(0);
        assertThat(time.field()).isEqualTo("/occurred_at");
        assertThat(time.workspaceId()).as("kept in its workspace's list").isEqualTo(WORKSPACE);
        assertThat(time.payload()).isEqualTo(badTime);
        assertThat(items.failures().get(1).field()).as("the item as a whole").isNull();
        assertThat(items.failures().get(1).workspaceId()).isNull();
    }

    @Test
    void aMessageThatIsNotJsonIsOneFailureKeepingItsText() {
        Items<Event> items = WireJson.decode("[{\"event_id\": ".getBytes(StandardCharsets.UTF_8), Stage.CACHE, EventJson::fromJson);

        assertThat(items.items()).isEmpty();
        assertThat(items.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.stage()).isEqualTo(Stage.CACHE);
            assertThat(failure.rawPayload()).isEqualTo("[{\"event_id\": ");
        });
    }
}
