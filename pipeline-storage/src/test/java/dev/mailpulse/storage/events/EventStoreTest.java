package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M;
import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class EventStoreTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static DSLContext db;

    @BeforeAll
    static void migrate() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
    }

    @Test
    void storesEveryTypeOnceAndKeepsEveryField() {
        List<Event> events = new ArrayList<>();
        for (EventType type : EventType.values()) {
            events.add(EventJson.fromJson(SCHEMAS.documents(type).get(1).get("examples").get(0)));
        }
        EventStore store = new EventStore();
        EventStore.Stored first = db.transactionResult(tx -> store.store(tx.dsl(), events));
        assertThat(first).isEqualTo(new EventStore.Stored(events.size(), 0));
        EventStore.Stored again = db.transactionResult(tx -> store.store(tx.dsl(), events));
        assertThat(again).isEqualTo(new EventStore.Stored(0, events.size()));
        assertThat(db.fetchCount(EVENTS)).isEqualTo(events.size());

        var bounce = db.selectFrom(EVENTS).where(EVENTS.EVENT_TYPE.eq("email.bounce")).fetchOne();
        assertThat(bounce.getRecipientDomain()).isEqualTo("gmail.com");
        assertThat(bounce.getAttributes().data()).contains("\"bounce_kind\"");
        assertThat(bounce.getMailboxProvider()).isEqualTo("unknown");
    }

    @Test
    void theEnrichmentsTheReadModelGroupsByBecomeColumns() {
        ObjectNode json = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_OPEN).get(1).get("examples").get(0).deepCopy();
        UUID workspace = UUID.randomUUID();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspace.toString());
        ObjectNode enrichment = json.putObject("enrichment");
        enrichment.put(Enrichments.MAILBOX_PROVIDER, "apple");
        enrichment.put(Enrichments.AUTOMATED, true);
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(EventJson.fromJson(json))));
        var counts = db.selectFrom(EVENT_COUNTS_1M).where(EVENT_COUNTS_1M.WORKSPACE_ID.eq(workspace)).fetchOne();
        assertThat(counts.getMailboxProvider()).isEqualTo("apple");
        assertThat(counts.getAutomatedCount()).isEqualTo(1L);
        assertThat(counts.getUniqueHumanRecipients()).isZero();
    }

    @Test
    void aProvidersEventKeepsItsIdAndOriginalPayload() {
        ObjectNode json = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_DELIVER).get(1).get("examples").get(0).deepCopy();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("source", "mailgun");
        json.put("provider_event_id", "CPgfbmQMTCKtHW6uIWtuVe");
        json.putObject("provider_payload").put("event", "delivered").putObject("delivery-status").put("code", 250);
        Event event = EventJson.fromJson(json);
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(event)));
        var stored = db.selectFrom(EVENTS).where(EVENTS.EVENT_ID.eq(event.eventId())).fetchOne();
        assertThat(stored.getProviderEventId()).isEqualTo("CPgfbmQMTCKtHW6uIWtuVe");
        assertThat(stored.getProviderPayload().data()).contains("\"delivery-status\"");
    }

    @Test
    void aFailureDeliveredTwiceIsKeptOnce() {
        FailedEvent failure = new FailedEvent(UUID.randomUUID(), UUID.randomUUID(), "validate", FailureReason.SCHEMA_VIOLATION,
                "/attributes/bounce_kind", "must be one of hard, soft, block", JsonNodeFactory.instance.objectNode().put("type", "email.bounce"), null);
        FailedEvent unreadable = new FailedEvent(null, null, "validate", FailureReason.UNREADABLE, null, "not JSON", null, "{oops");
        FailedEventStore store = new FailedEventStore();
        int first = db.transactionResult(tx -> store.store(tx.dsl(), List.of(failure, unreadable)));
        int again = db.transactionResult(tx -> store.store(tx.dsl(), List.of(failure, unreadable)));
        assertThat(first).isEqualTo(2);
        assertThat(again).isZero();
        assertThat(db.fetchCount(FAILED_EVENTS)).isEqualTo(2);
    }
}
