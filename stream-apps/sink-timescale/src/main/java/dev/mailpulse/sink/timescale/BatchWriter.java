package dev.mailpulse.sink.timescale;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.events.FailedEventStore;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one broker message (a JSON array of events, or of failed events), or a batch of both, in one transaction. An item that cannot be
 * read, or that the store refuses, becomes a failed event of the {@code store} stage in the same transaction, so the
 * good events of a batch are never held back by a bad one.
 */
public final class BatchWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one message did. */
    public record Written(int stored, int duplicates, int failed) {
    }

    private final DSLContext db;
    private final EventStore events = new EventStore();
    private final FailedEventStore failures = new FailedEventStore();

    public BatchWriter(DSLContext db) {
        this.db = db;
    }

    public Written writeEvents(byte[] payload) {
        List<Event> readable = new ArrayList<>();
        List<FailedEvent> unreadable = new ArrayList<>();
        for (JsonNode item : items(payload, unreadable)) {
            try {
                readable.add(EventJson.fromJson(item));
            } catch (RuntimeException e) {
                unreadable.add(storeFailure(item, FailureReason.UNREADABLE, e.getMessage()));
            }
        }
        return write(readable, unreadable);
    }

    /**
     * Stores events and failed events in one transaction; an event the store refuses becomes a failed event of the
     * {@code store} stage instead of holding back the others.
     */
    public Written write(List<Event> readable, List<FailedEvent> failed) {
        try {
            return db.transactionResult(tx -> {
                EventStore.Stored stored = events.store(tx.dsl(), readable);
                failures.store(tx.dsl(), failed);
                return new Written(stored.inserted(), stored.duplicates(), failed.size());
            });
        } catch (DataAccessException e) {
            if (TransientFailures.isTransient(e)) {
                throw e;
            }
            return writeOneByOne(readable, failed);
        }
    }

    public Written writeFailures(byte[] payload) {
        List<FailedEvent> failed = new ArrayList<>();
        for (JsonNode item : items(payload, failed)) {
            try {
                failed.add(FailedEventJson.fromJson(item));
            } catch (RuntimeException e) {
                failed.add(storeFailure(item, FailureReason.UNREADABLE, "an unreadable failed event: " + e.getMessage()));
            }
        }
        int stored = db.transactionResult(tx -> failures.store(tx.dsl(), failed));
        return new Written(0, failed.size() - stored, stored);
    }

    /** A refused batch, again event by event, each in a savepoint: the refused ones become failed events. */
    private Written writeOneByOne(List<Event> readable, List<FailedEvent> unreadable) {
        return db.transactionResult(tx -> {
            int inserted = 0;
            int duplicates = 0;
            List<FailedEvent> refused = new ArrayList<>(unreadable);
            for (Event event : readable) {
                try {
                    EventStore.Stored stored = tx.dsl().transactionResult(savepoint -> events.store(savepoint.dsl(), List.of(event)));
                    inserted += stored.inserted();
                    duplicates += stored.duplicates();
                } catch (DataAccessException e) {
                    if (TransientFailures.isTransient(e)) {
                        throw e;
                    }
                    refused.add(new FailedEvent(event.workspaceId(), event.eventId(), "store", FailureReason.STORE_REJECTED, null,
                            String.valueOf(e.getMessage()), EventJson.toJson(event), null));
                }
            }
            failures.store(tx.dsl(), refused);
            return new Written(inserted, duplicates, refused.size());
        });
    }

    private static Iterable<JsonNode> items(byte[] payload, List<FailedEvent> unreadable) {
        JsonNode body;
        try {
            body = JSON.readTree(payload);
        } catch (JacksonException e) {
            unreadable.add(new FailedEvent(null, null, "store", FailureReason.UNREADABLE, null,
                    "the message is not JSON: " + e.getOriginalMessage(), null, new String(payload, StandardCharsets.UTF_8)));
            return List.of();
        }
        return body.isArray() ? body : List.of(body);
    }

    private static FailedEvent storeFailure(JsonNode item, FailureReason reason, String message) {
        return new FailedEvent(null, null, "store", reason, null, message, item, null);
    }
}
