package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.ETL_CHANGES;
import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep2;
import org.jooq.InsertValuesStepN;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.storage.jooq.tables.records.EventsRecord;

/**
 * Writes events into the raw store, idempotently: multi-row inserts in key order (workspace, event id, time) with
 * ON CONFLICT DO NOTHING, so a redelivered event changes nothing here or in the read model, an id another workspace
 * used is no conflict, and concurrent writers lock rows in one order. Marks the quarter hours that received events
 * for the nightly ETL in the same transaction ({@code etl_changes}), so that a day processed before a late event
 * committed is processed again. Runs in the caller's transaction.
 */
public final class EventStore {

    private static final List<Field<?>> COLUMNS = List.of(EVENTS.EVENT_ID, EVENTS.OCCURRED_AT, EVENTS.RECEIVED_AT,
            EVENTS.WORKSPACE_ID, EVENTS.EVENT_TYPE, EVENTS.SCHEMA_VERSION, EVENTS.SOURCE, EVENTS.PROVIDER_EVENT_ID,
            EVENTS.CAMPAIGN_ID, EVENTS.MESSAGE_ID, EVENTS.RECIPIENT_HASH, EVENTS.RECIPIENT_DOMAIN, EVENTS.RECIPIENT_ADDRESS,
            EVENTS.LINK_URL, EVENTS.USER_AGENT, EVENTS.IP, EVENTS.MAILBOX_PROVIDER, EVENTS.AUTOMATED, EVENTS.ATTRIBUTES,
            EVENTS.ENRICHMENT, EVENTS.PROVIDER_PAYLOAD);

    /** 21 columns a row: 1,000 rows stay well under PostgreSQL's 32,767 bind parameters a statement. */
    static final int ROWS_PER_STATEMENT = 1_000;

    /** The width of a change mark: every time zone's midnight falls on a quarter hour of UTC. */
    public static final long QUARTER_SECONDS = 15 * 60;

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
        markChanges(db, sorted);
        return new Stored(inserted, events.size() - inserted);
    }

    /**
     * Upserts (never skips) each quarter's mark: the row lock it takes makes an ETL taking the mark wait for this
     * transaction, so that it counts these events or leaves the mark for its next run. In key order, as the events.
     */
    private static void markChanges(DSLContext db, List<Event> events) {
        Map<UUID, TreeSet<Long>> quarters = new TreeMap<>();
        for (Event event : events) {
            long second = event.occurredAt().getEpochSecond();
            quarters.computeIfAbsent(event.workspaceId(), w -> new TreeSet<>()).add(second - Math.floorMod(second, QUARTER_SECONDS));
        }
        if (quarters.isEmpty()) {
            return;
        }
        InsertValuesStep2<?, UUID, OffsetDateTime> marks = db.insertInto(ETL_CHANGES, ETL_CHANGES.WORKSPACE_ID, ETL_CHANGES.QUARTER);
        for (Map.Entry<UUID, TreeSet<Long>> workspace : quarters.entrySet()) {
            for (long quarter : workspace.getValue()) {
                marks = marks.values(workspace.getKey(), Instant.ofEpochSecond(quarter).atOffset(ZoneOffset.UTC));
            }
        }
        marks.onConflict(ETL_CHANGES.WORKSPACE_ID, ETL_CHANGES.QUARTER).doUpdate().set(ETL_CHANGES.CHANGED_AT, DSL.currentOffsetDateTime()).execute();
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
