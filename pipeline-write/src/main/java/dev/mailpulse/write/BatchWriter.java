package dev.mailpulse.write;

import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.events.FailedEventStore;
import dev.mailpulse.stream.Outages;

/**
 * Writes a batch of events and failed events in one transaction. An item that the store refuses becomes a failed
 * event of the {@code store} stage in the same transaction, so the good items of a batch are never held back by a bad
 * one. Only an outage of the database is thrown, for the caller to wait out.
 */
public final class BatchWriter {

    /** What one batch did. */
    public record Written(int stored, int duplicates, int failed) {
    }

    private final DSLContext db;
    private final EventStore events = new EventStore();
    private final FailedEventStore failures = new FailedEventStore();

    public BatchWriter(DSLContext db) {
        this.db = db;
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
        } catch (RuntimeException e) {
            if (Outages.isOutage(e)) {
                throw e;
            }
            return writeOneByOne(readable, failed);
        }
    }

    /** Stores failed events in one transaction, or one by one should the store refuse the batch. */
    public Written writeFailures(List<FailedEvent> failed) {
        int stored;
        try {
            stored = db.transactionResult(tx -> failures.store(tx.dsl(), failed));
        } catch (RuntimeException e) {
            if (Outages.isOutage(e)) {
                throw e;
            }
            stored = db.transactionResult(tx -> storeFailuresOneByOne(tx.dsl(), failed));
        }
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
                } catch (RuntimeException e) {
                    if (Outages.isOutage(e)) {
                        throw e;
                    }
                    refused.add(new FailedEvent(event.workspaceId(), event.eventId(), Stage.STORE, FailureReason.STORE_REJECTED, null,
                            String.valueOf(e.getMessage()), EventJson.toJson(event), null));
                }
            }
            storeFailuresOneByOne(tx.dsl(), refused);
            return new Written(inserted, duplicates, refused.size());
        });
    }

    /**
     * Failures one by one, each in a savepoint. One the store still refuses (a stage it does not know, say) is kept
     * whole as text, as a failure of this stage: nothing but an outage loses it.
     */
    private int storeFailuresOneByOne(DSLContext tx, List<FailedEvent> failed) {
        int stored = 0;
        for (FailedEvent failure : failed) {
            try {
                stored += tx.transactionResult(savepoint -> failures.store(savepoint.dsl(), List.of(failure)));
            } catch (RuntimeException e) {
                if (Outages.isOutage(e)) {
                    throw e;
                }
                FailedEvent asText = new FailedEvent(failure.workspaceId(), failure.eventId(), Stage.STORE, FailureReason.UNREADABLE, null,
                        "a failed event the store refused (" + e.getMessage() + ")", null, WireJson.asciiText(FailedEventJson.toJson(failure)));
                stored += tx.transactionResult(savepoint -> failures.store(savepoint.dsl(), List.of(asText)));
            }
        }
        return stored;
    }
}
