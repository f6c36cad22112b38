package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep9;
import org.jooq.JSONB;

import tools.jackson.databind.JsonNode;

import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.json.StorableValues;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.jooq.tables.records.FailedEventsRecord;

/**
 * Keeps failed events with their stage, typed reason, field and payload, whatever they hold: a payload with values
 * jsonb refuses is stored in a storable form, with its exact text in {@code raw_payload}. A failure's id is derived from its workspace and what failed
 * and why, so the same failure delivered again is stored once. Runs in the caller's transaction.
 */
public final class FailedEventStore {

    public int store(DSLContext db, List<FailedEvent> failures) {
        if (failures.isEmpty()) {
            return 0;
        }
        InsertValuesStep9<FailedEventsRecord, UUID, UUID, UUID, String, String, String, String, JSONB, String> insert =
                db.insertInto(FAILED_EVENTS, FAILED_EVENTS.FAILURE_ID, FAILED_EVENTS.WORKSPACE_ID, FAILED_EVENTS.EVENT_ID,
                        FAILED_EVENTS.STAGE, FAILED_EVENTS.REASON, FAILED_EVENTS.FIELD, FAILED_EVENTS.MESSAGE,
                        FAILED_EVENTS.PAYLOAD, FAILED_EVENTS.RAW_PAYLOAD);
        for (FailedEvent failure : failures) {
            JsonNode payload = failure.payload() == null ? null : StorableValues.storable(failure.payload());
            // What jsonb could not keep exactly is kept beside it as exact (escaped) text.
            String rawPayload = failure.rawPayload() != null ? StorableValues.text(failure.rawPayload())
                    : payload != null && !payload.equals(failure.payload()) ? WireJson.asciiText(failure.payload()) : null;
            insert = insert.values(failureId(failure), failure.workspaceId(), failure.eventId(), failure.stage().wireName(),
                    failure.reason().code(), StorableValues.text(failure.field()), StorableValues.text(failure.message()),
                    payload == null ? null : JSONB.valueOf(payload.toString()), rawPayload);
        }
        return insert.onConflictDoNothing().execute();
    }

    /** A stored failure, as listed to operators. */
    public record Stored(UUID failureId, UUID workspaceId, UUID eventId, java.time.Instant failedAt, String stage, String reason,
                         String field, String message, String payload, String rawPayload, int replayCount) {
    }

    /** Failures, newest first; each filter may be null. */
    public List<Stored> list(DSLContext db, UUID workspaceId, String reason, UUID failureId, int limit) {
        var condition = org.jooq.impl.DSL.noCondition();
        if (workspaceId != null) {
            condition = condition.and(FAILED_EVENTS.WORKSPACE_ID.eq(workspaceId));
        }
        if (reason != null) {
            condition = condition.and(FAILED_EVENTS.REASON.eq(reason));
        }
        if (failureId != null) {
            condition = condition.and(FAILED_EVENTS.FAILURE_ID.eq(failureId));
        }
        return db.selectFrom(FAILED_EVENTS).where(condition).orderBy(FAILED_EVENTS.FAILED_AT.desc()).limit(limit)
                .fetch(r -> new Stored(r.getFailureId(), r.getWorkspaceId(), r.getEventId(), r.getFailedAt().toInstant(), r.getStage(),
                        r.getReason(), r.getField(), r.getMessage(), r.getPayload() == null ? null : r.getPayload().data(),
                        r.getRawPayload(), r.getReplayCount()));
    }

    /** Records that a failure was sent through the pipeline again, with the payload it was sent with. */
    public void markReplayed(DSLContext db, UUID failureId, String replayedPayload) {
        db.update(FAILED_EVENTS)
                .set(FAILED_EVENTS.REPLAY_COUNT, FAILED_EVENTS.REPLAY_COUNT.plus(1))
                .set(FAILED_EVENTS.REPLAYED_AT, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC))
                .set(FAILED_EVENTS.PAYLOAD, JSONB.valueOf(replayedPayload))
                .where(FAILED_EVENTS.FAILURE_ID.eq(failureId))
                .execute();
    }

    static UUID failureId(FailedEvent failure) {
        String identity = String.join("\u0000", String.valueOf(failure.workspaceId()), failure.stage().wireName(), failure.reason().code(), String.valueOf(failure.field()),
                String.valueOf(failure.eventId()), failure.payload() != null ? WireJson.asciiText(failure.payload()) : failure.rawPayload());
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
    }
}
