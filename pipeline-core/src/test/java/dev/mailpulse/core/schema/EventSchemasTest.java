package dev.mailpulse.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.mailpulse.core.event.EventType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class EventSchemasTest {

    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theDocumentedExampleOfEveryTypeIsValid(EventType type) {
        JsonNode examples = SCHEMAS.documents(type).get(1).get("examples");
        assertThat(examples).isNotEmpty();
        for (JsonNode example : examples) {
            assertThat(SCHEMAS.validate(example)).as(type.wireName() + " example").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void anInvalidExampleOfEveryTypeIsRefusedAtTheOffendingField(EventType type) throws IOException {
        JsonNode invalid = resource("invalid-examples/" + type.wireName() + ".json");
        assertThat(SCHEMAS.validate(invalid.get("event")))
                .as(type.wireName() + " invalid example")
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v.kind()).isEqualTo(SchemaViolation.Kind.INVALID))
                .extracting(SchemaViolation::field)
                .contains(invalid.get("field").asString());
    }

    @Test
    void anUnknownTypeIsNamedAsSuch() {
        ObjectNode event = example(EventType.EMAIL_OPEN);
        event.put("type", "email.teleport");
        assertThat(SCHEMAS.validate(event)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(SchemaViolation.Kind.UNKNOWN_TYPE);
            assertThat(v.field()).isEqualTo("/type");
            assertThat(v.message()).contains("email.teleport");
        });
    }

    @Test
    void anUnknownSchemaVersionIsNamedAsSuch() {
        ObjectNode event = example(EventType.EMAIL_BOUNCE);
        event.put("schema_version", 99);
        assertThat(SCHEMAS.validate(event)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(SchemaViolation.Kind.UNKNOWN_SCHEMA_VERSION);
            assertThat(v.field()).isEqualTo("/schema_version");
            assertThat(v.message()).contains("[1]");
        });
    }

    @Test
    void envelopeRulesApplyToEveryType() {
        ObjectNode event = example(EventType.CAMPAIGN_START);
        event.put("occurred_at", "yesterday");
        event.put("surprise", true);
        event.remove("event_id");
        assertThat(SCHEMAS.validate(event)).extracting(SchemaViolation::field)
                .contains("/occurred_at", "/event_id", "");
    }

    @Test
    void aTimestampWithoutZoneIsRefused() {
        ObjectNode event = example(EventType.EMAIL_SEND);
        event.put("occurred_at", "2026-11-20T09:15:02");
        assertThat(SCHEMAS.validate(event)).extracting(SchemaViolation::field).contains("/occurred_at");
    }

    @Test
    void anAddressThatIsNotAnIpIsRefused() {
        ObjectNode event = example(EventType.EMAIL_OPEN);
        event.put("ip", "300.1.2.3");
        assertThat(SCHEMAS.validate(event)).extracting(SchemaViolation::field).contains("/ip");
        event.put("ip", "2001:db8::1");
        assertThat(SCHEMAS.validate(event)).isEmpty();
    }

    @Test
    void aRecipientMustBePseudonymisedOrCarryItsHash() {
        ObjectNode event = example(EventType.EMAIL_DELIVER);
        ((ObjectNode) event.get("recipient")).remove("hash");
        assertThat(SCHEMAS.validate(event)).extracting(SchemaViolation::field).contains("/recipient/hash");
    }

    @Test
    void aNonObjectIsRefused() {
        assertThat(SCHEMAS.validate(MAPPER.readTree("[1,2]"))).singleElement()
                .satisfies(v -> assertThat(v.field()).isEmpty());
    }

    static ObjectNode example(EventType type) {
        return (ObjectNode) SCHEMAS.documents(type).get(1).get("examples").get(0).deepCopy();
    }

    private static JsonNode resource(String name) throws IOException {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return MAPPER.readTree(in);
        }
    }
}
