package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.JSONB;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.storage.jooq.tables.records.EventsRecord;

/**
 * Writes events into the raw store, idempotently: multi-row inserts in key order (workspace, event id, time) with
 * ON CONFLICT DO NOTHING, so a redelivered event changes nothing here or in the read model, an id another workspace
 * used is no conflict, and concurrent writers lock rows in one order.
 * Runs in the caller's transaction.
 */
public final class EventStore {

    private static final List<Field<?>> COLUMNS = List.of(EVENTS.EVENT_ID, EVENTS.OCCURRED_AT, EVENTS.RECEIVED_AT,
            EVENTS.WORKSPACE_ID, EVENTS.EVENT_TYPE, EVENTS.SCHEMA_VERSION, EVENTS.SOURCE, EVENTS.PROVIDER_EVENT_ID,
            EVENTS.CAMPAIGN_ID, EVENTS.MESSAGE_ID, EVENTS.RECIPIENT_HASH, EVENTS.RECIPIENT_DOMAIN, EVENTS.RECIPIENT_ADDRESS,
            EVENTS.LINK_URL, EVENTS.USER_AGENT, EVENTS.IP, EVENTS.MAILBOX_PROVIDER, EVENTS.AUTOMATED, EVENTS.ATTRIBUTES,
            EVENTS.ENRICHMENT, EVENTS.PROVIDER_PAYLOAD);

    /** 21 columns a row: 1,000 rows stay well under PostgreSQL's 32,767 bind parameters a statement. */
    static final int ROWS_PER_STATEMENT = 1_000;

    /** What a batch did: events newly stored, and events that were already there. */
    public record Stored(int inserted, int duplicates) {
    }

    public Stored store(DSLContext db, List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(Event::workspaceId).thenComparing(Event::eventId).thenComparing(Event::occurredAt));
        int inserted = 0;
        for (int from = 0; from < sorted.size(); from += ROWS_PER_STATEMENT) {
            InsertValuesStepN<EventsRecord> insert = db.insertInto(EVENTS).columns(COLUMNS);
            for (Event event : sorted.subList(from, Math.min(sorted.size(), from + ROWS_PER_STATEMENT))) {
                insert = insert.values(row(event));
            }
            inserted += insert.onConflictDoNothing().execute();
        }
        return new Stored(inserted, events.size() - inserted);
    }

    private static Object[] row(Event event) {
        return new Object[] {
                event.eventId(),
                event.occurredAt().atOffset(ZoneOffset.UTC),
                event.receivedAt().atOffset(ZoneOffset.UTC),
                event.workspaceId(),
                event.type().wireName(),
                (short) event.schemaVersion(),
                event.source().wireName(),
                event.providerEventId(),
                event.campaignId(),
                event.messageId(),
                event.recipient() == null ? null : event.recipient().hash(),
                event.recipient() == null ? null : event.recipient().domain(),
                event.recipient() == null ? null : event.recipient().address(),
                event.linkUrl(),
                event.userAgent(),
                event.ip(),
                Enrichments.mailboxProvider(event),
                Enrichments.automated(event),
                JSONB.valueOf(event.attributes().toString()),
                JSONB.valueOf(event.enrichment().toString()),
                event.providerPayload() == null ? null : JSONB.valueOf(event.providerPayload().toString())};
    }
}
