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
import dev.mailpulse.core.failure.Stage;
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
    void oneWorkspaceCannotMakeAnothersEventDisappearByReusingItsIdAndTime() {
        UUID victim = UUID.randomUUID();
        UUID attacker = UUID.randomUUID();
        ObjectNode example = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_OPEN).get(1).get("examples").get(0).deepCopy();
        example.put("event_id", UUID.randomUUID().toString());
        ObjectNode replayed = example.deepCopy().put("workspace_id", attacker.toString());
        ObjectNode real = example.deepCopy().put("workspace_id", victim.toString());
        EventStore store = new EventStore();
        EventStore.Stored first = db.transactionResult(tx -> store.store(tx.dsl(), List.of(EventJson.fromJson(replayed))));
        EventStore.Stored afterIt = db.transactionResult(tx -> store.store(tx.dsl(), List.of(EventJson.fromJson(real))));
        assertThat(first).isEqualTo(new EventStore.Stored(1, 0));
        assertThat(afterIt).as("the real event, sent after the attacker's copy of its id and time").isEqualTo(new EventStore.Stored(1, 0));
        for (UUID workspace : List.of(victim, attacker)) {
            assertThat(db.fetchCount(EVENTS, EVENTS.WORKSPACE_ID.eq(workspace))).isEqualTo(1);
            assertThat(db.select(DSL.sum(EVENT_COUNTS_1M.EVENT_COUNT)).from(EVENT_COUNTS_1M).where(EVENT_COUNTS_1M.WORKSPACE_ID.eq(workspace))
                    .fetchOne(0, Long.class)).as("counted in its own workspace").isEqualTo(1L);
        }
        EventStore.Stored again = db.transactionResult(tx -> store.store(tx.dsl(), List.of(EventJson.fromJson(real))));
        assertThat(again).as("its own redelivery is still a duplicate").isEqualTo(new EventStore.Stored(0, 1));

        // The same failure of two workspaces is two failures.
        FailedEventStore failures = new FailedEventStore();
        for (UUID workspace : List.of(victim, attacker)) {
            FailedEvent failure = new FailedEvent(workspace, null, Stage.VALIDATE, FailureReason.UNREADABLE, null,
                    "an event must be a JSON object", JsonNodeFactory.instance.numberNode(42), null);
            int stored = db.transactionResult(tx -> failures.store(tx.dsl(), List.of(failure)));
            assertThat(stored).isEqualTo(1);
        }
        // The other tests count the whole tables.
        db.deleteFrom(EVENTS).where(EVENTS.WORKSPACE_ID.in(victim, attacker)).execute();
        db.deleteFrom(FAILED_EVENTS).where(FAILED_EVENTS.WORKSPACE_ID.in(victim, attacker)).execute();
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
        FailedEvent failure = new FailedEvent(UUID.randomUUID(), UUID.randomUUID(), Stage.VALIDATE, FailureReason.SCHEMA_VIOLATION,
                "/attributes/bounce_kind", "must be one of hard, soft, block", JsonNodeFactory.instance.objectNode().put("type", "email.bounce"), null);
        FailedEvent unreadable = new FailedEvent(null, null, Stage.VALIDATE, FailureReason.UNREADABLE, null, "not JSON", null, "{oops");
        FailedEventStore store = new FailedEventStore();
        int first = db.transactionResult(tx -> store.store(tx.dsl(), List.of(failure, unreadable)));
        int again = db.transactionResult(tx -> store.store(tx.dsl(), List.of(failure, unreadable)));
        assertThat(first).isEqualTo(2);
        assertThat(again).isZero();
        assertThat(db.fetchCount(FAILED_EVENTS)).isEqualTo(2);
    }
}
