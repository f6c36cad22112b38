package dev.mailpulse.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.schema.EventSchemas;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class EventValidatorTest {

    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static final UUID KNOWN = UUID.fromString("8d3f2a10-5c1e-4b7a-9f0e-2b6c7d8e9f01");
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final EventValidator.TimeLimits LIMITS = new EventValidator.TimeLimits(Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofDays(400));
    private final EventValidator validator = new EventValidator(SCHEMAS, Set.of(KNOWN)::contains, LIMITS, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidEventPassesAndALateOneInsideTheAgeToo() {
        assertThat(validator.validate(example(EventType.EMAIL_OPEN))).isInstanceOf(Validation.Valid.class);
        ObjectNode late = example(EventType.EMAIL_OPEN);
        late.put("occurred_at", NOW.minus(Duration.ofDays(29)).toString());
        assertThat(validator.validate(late)).isInstanceOf(Validation.Valid.class);
    }

    @Test
    void theHistoryImportsEventsMayBeOlderThanLiveOnesButNotOlderThanItsOwnLimit() {
        ObjectNode old = example(EventType.EMAIL_OPEN);
        old.put("occurred_at", NOW.minus(Duration.ofDays(399)).toString());
        assertThat(assertFailure(validator.validate(old), FailureReason.TIME_OUT_OF_RANGE, "/occurred_at").message()).contains("30 days");
        old.put("source", "import");
        assertThat(validator.validate(old)).isInstanceOf(Validation.Valid.class);
        old.put("occurred_at", NOW.minus(Duration.ofDays(401)).toString());
        assertThat(assertFailure(validator.validate(old), FailureReason.TIME_OUT_OF_RANGE, "/occurred_at").message())
                .contains("400 days of the history import");
    }

    @Test
    void eachRejectionHasItsReasonFieldAndPayload() {
        assertFailure(validator.validate(JsonMapper.builder().build().readTree("[1]")), FailureReason.UNREADABLE, null);

        ObjectNode unknownType = example(EventType.EMAIL_OPEN);
        unknownType.put("type", "email.teleport");
        assertFailure(validator.validate(unknownType), FailureReason.UNKNOWN_TYPE, "/type");

        ObjectNode unknownVersion = example(EventType.EMAIL_OPEN);
        unknownVersion.put("schema_version", 7);
        assertFailure(validator.validate(unknownVersion), FailureReason.UNKNOWN_SCHEMA_VERSION, "/schema_version");

        ObjectNode invalid = example(EventType.EMAIL_BOUNCE);
        ((ObjectNode) invalid.get("attributes")).put("bounce_kind", "permanent");
        FailedEvent schema = assertFailure(validator.validate(invalid), FailureReason.SCHEMA_VIOLATION, "/attributes/bounce_kind");
        assertThat(schema.eventId()).isNotNull();
        assertThat(schema.workspaceId()).isEqualTo(KNOWN);

        ObjectNode future = example(EventType.EMAIL_SEND);
        future.put("occurred_at", NOW.plus(Duration.ofMinutes(6)).toString());
        assertFailure(validator.validate(future), FailureReason.TIME_OUT_OF_RANGE, "/occurred_at");

        ObjectNode old = example(EventType.EMAIL_SEND);
        old.put("occurred_at", NOW.minus(Duration.ofDays(31)).toString());
        assertThat(assertFailure(validator.validate(old), FailureReason.TIME_OUT_OF_RANGE, "/occurred_at").message()).contains("30 days");

        ObjectNode stranger = example(EventType.EMAIL_SEND);
        stranger.put("workspace_id", UUID.randomUUID().toString());
        assertFailure(validator.validate(stranger), FailureReason.UNKNOWN_WORKSPACE, "/workspace_id");
    }

    @Test
    void whateverAnItemHoldsItBecomesAFailureOfItsOwnAndNeverAnException() {
        for (String eventId : new String[] {"{}", "[]", "[1]", "{\"a\":{}}", "true", "12"}) {
            ObjectNode event = example(EventType.EMAIL_OPEN);
            event.set("event_id", WireJson.MAPPER.readTree(eventId));
            assertThat(assertFailure(validator.validate(event), FailureReason.SCHEMA_VIOLATION, "/event_id").eventId()).isNull();
        }
        ObjectNode noCalendarHasIt = example(EventType.EMAIL_OPEN);
        noCalendarHasIt.put("occurred_at", "2026-02-30T10:00:00Z");
        assertThat(validator.validate(noCalendarHasIt)).isInstanceOf(Validation.Invalid.class);

        ObjectNode nul = example(EventType.EMAIL_OPEN);
        nul.put("message_id", "<a\u0000b@example.com>");
        assertFailure(validator.validate(nul), FailureReason.UNSTORABLE_VALUE, "/message_id");
        ObjectNode surrogate = example(EventType.EMAIL_OPEN);
        surrogate.putObject("attributes").putObject("custom").put("k\ud800", 1);
        assertFailure(validator.validate(surrogate), FailureReason.UNSTORABLE_VALUE, "/attributes/custom/k\ud800");
        ObjectNode huge = example(EventType.EMAIL_SEND);
        huge.set("attributes", WireJson.MAPPER.readTree("{\"custom\":{\"n\":1e400000}}"));
        assertFailure(validator.validate(huge), FailureReason.UNSTORABLE_VALUE, "/attributes/custom/n");
    }

    @Test
    void aLeapSecondIsTheSecondBeforeItAndNumbersStayAsSent() {
        Instant afterTheLeapSecond = Instant.parse("2017-01-01T00:00:30Z");
        EventValidator then = new EventValidator(SCHEMAS, Set.of(KNOWN)::contains, LIMITS, Clock.fixed(afterTheLeapSecond, ZoneOffset.UTC));
        ObjectNode leap = example(EventType.EMAIL_SEND);
        leap.set("attributes", WireJson.MAPPER.readTree("{\"custom\":{\"big\":1e999,\"price\":1.50}}"));
        leap.put("occurred_at", "2016-12-31T23:59:60Z");
        Validation validation = then.validate(leap);
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        Event event = ((Validation.Valid) validation).event();
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(EventJson.toJson(event).get("attributes").toString()).isEqualTo("{\"custom\":{\"big\":1E+999,\"price\":1.50}}");
    }

    private static FailedEvent assertFailure(Validation validation, FailureReason reason, String field) {
        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        FailedEvent failure = ((Validation.Invalid) validation).failure();
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.field()).isEqualTo(field);
        assertThat(failure.stage()).isEqualTo(Stage.VALIDATE);
        assertThat(failure.payload() != null || failure.rawPayload() != null).isTrue();
        return failure;
    }

    private static ObjectNode example(EventType type) {
        ObjectNode event = (ObjectNode) SCHEMAS.documents(type).get(1).get("examples").get(0).deepCopy();
        event.put("occurred_at", NOW.minusSeconds(60).toString());
        return event;
    }
}
