package dev.mailpulse.core.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.StorableValues;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.schema.SchemaViolation;
import tools.jackson.databind.JsonNode;

/**
 * Checks an event against the schema of its type and version, then the rules a schema cannot say: the event time is
 * within its {@link TimeLimits} (late events inside them are normal), and the workspace exists. Failures are values
 * with a typed reason, the offending field and the payload, never exceptions.
 */
public final class EventValidator {

    /**
     * How far from now an event's time may be.
     *
     * @param maxFuture    how far ahead (clock skew)
     * @param maxAge       how old a live event may be
     * @param maxImportAge how old an event of the history import ({@link EventSource#IMPORT}) may be
     */
    public record TimeLimits(Duration maxFuture, Duration maxAge, Duration maxImportAge) {

        public TimeLimits {
            if (maxFuture.isNegative() || maxAge.isNegative() || maxAge.isZero() || maxImportAge.compareTo(maxAge) < 0) {
                throw new IllegalArgumentException("time limits: max-future at least zero, max-age above zero, max-import-age at least max-age");
            }
        }

        private Duration maxAge(EventSource source) {
            return source == EventSource.IMPORT ? maxImportAge : maxAge;
        }
    }

    private final EventSchemas schemas;
    private final Predicate<UUID> workspaceExists;
    private final TimeLimits limits;
    private final Clock clock;

    public EventValidator(EventSchemas schemas, Predicate<UUID> workspaceExists, TimeLimits limits, Clock clock) {
        this.schemas = schemas;
        this.workspaceExists = workspaceExists;
        this.limits = limits;
        this.clock = clock;
    }

    public Validation validate(JsonNode item) {
        if (item == null || !item.isObject()) {
            return invalid(null, item, FailureReason.UNREADABLE, null, "an event must be a JSON object");
        }
        Optional<StorableValues.Problem> unstorable = StorableValues.check(item);
        if (unstorable.isPresent()) {
            return invalid(null, item, FailureReason.UNSTORABLE_VALUE, unstorable.get().field(),
                    (unstorable.get().field().isEmpty() ? "(event)" : unstorable.get().field()) + ": " + unstorable.get().reason());
        }
        List<SchemaViolation> violations = schemas.validate(item);
        if (!violations.isEmpty()) {
            SchemaViolation first = violations.get(0);
            FailureReason reason = switch (first.kind()) {
                case UNKNOWN_TYPE -> FailureReason.UNKNOWN_TYPE;
                case UNKNOWN_SCHEMA_VERSION -> FailureReason.UNKNOWN_SCHEMA_VERSION;
                case INVALID -> FailureReason.SCHEMA_VIOLATION;
            };
            String message = violations.stream().map(v -> (v.field().isEmpty() ? "(event)" : v.field()) + ": " + v.message())
                    .collect(Collectors.joining("; "));
            return invalid(null, item, reason, first.field(), message);
        }
        Event event;
        try {
            event = EventJson.fromJson(item);
        } catch (IllegalArgumentException e) {
            // What the schema accepts but the envelope cannot hold (a date no calendar has, say).
            String field = e.getMessage() == null ? "" : e.getMessage().split(":", 2)[0];
            return invalid(null, item, FailureReason.SCHEMA_VIOLATION, field, e.getMessage());
        }
        Instant now = clock.instant();
        if (event.occurredAt().isAfter(now.plus(limits.maxFuture()))) {
            return invalid(event, item, FailureReason.TIME_OUT_OF_RANGE, "/occurred_at",
                    "occurred_at " + event.occurredAt() + " is more than " + limits.maxFuture() + " in the future");
        }
        Duration maxAge = limits.maxAge(event.source());
        if (event.occurredAt().isBefore(now.minus(maxAge))) {
            return invalid(event, item, FailureReason.TIME_OUT_OF_RANGE, "/occurred_at", "occurred_at " + event.occurredAt()
                    + " is older than the accepted " + maxAge.toDays() + " days" + (event.source() == EventSource.IMPORT ? " of the history import" : ""));
        }
        if (!workspaceExists.test(event.workspaceId())) {
            return invalid(event, item, FailureReason.UNKNOWN_WORKSPACE, "/workspace_id", "no workspace " + event.workspaceId());
        }
        return new Validation.Valid(event);
    }

    private static Validation invalid(Event event, JsonNode item, FailureReason reason, String field, String message) {
        UUID workspace = event != null ? event.workspaceId() : uuid(item, "workspace_id");
        UUID eventId = event != null ? event.eventId() : uuid(item, "event_id");
        return new Validation.Invalid(new FailedEvent(workspace, eventId, Stage.VALIDATE, reason, field, message,
                item, item == null ? "null" : null));
    }

    private static UUID uuid(JsonNode item, String field) {
        return item == null ? null : WireJson.uuid(item.get(field));
    }
}
