package dev.mailpulse.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.schema.EventSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EventJsonTest {

    private static final EventSchemas SCHEMAS = new EventSchemas();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyExampleSurvivesARoundTrip(EventType type) {
        JsonNode example = SCHEMAS.documents(type).get(1).get("examples").get(0);
        Event event = EventJson.fromJson(example);
        assertThat(event.type()).isEqualTo(type);
        ObjectNode written = EventJson.toJson(event);
        assertThat(SCHEMAS.validate(written)).isEmpty();
        assertThat(EventJson.fromJson(written)).isEqualTo(event);
    }

    @Test
    void readsTheFieldsOfABounce() {
        Event bounce = EventJson.fromJson(SCHEMAS.documents(EventType.EMAIL_BOUNCE).get(1).get("examples").get(0));
        assertThat(bounce.source()).isEqualTo(EventSource.API);
        assertThat(bounce.occurredAt()).isEqualTo(Instant.parse("2026-11-20T09:15:02.120Z"));
        assertThat(bounce.recipient().domain()).isEqualTo("gmail.com");
        assertThat(bounce.recipient().address()).isNull();
        assertThat(bounce.attributes().get("bounce_kind").asString()).isEqualTo("hard");
        assertThat(bounce.enrichment().isEmpty()).isTrue();
    }

    @Test
    void timestampsWithAnOffsetBecomeUtcInstants() {
        ObjectNode json = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_SEND).get(1).get("examples").get(0).deepCopy();
        json.put("occurred_at", "2026-11-20T10:15:02+01:00");
        assertThat(EventJson.fromJson(json).occurredAt()).isEqualTo(Instant.parse("2026-11-20T09:15:02Z"));
    }

    @Test
    void namesTheFieldItCannotRead() {
        ObjectNode json = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_SEND).get(1).get("examples").get(0).deepCopy();
        json.put("event_id", "not-a-uuid");
        assertThatThrownBy(() -> EventJson.fromJson(json)).hasMessageStartingWith("/event_id");
    }
}
