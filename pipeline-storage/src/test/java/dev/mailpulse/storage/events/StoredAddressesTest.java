package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.event.Recipient;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.ObjectNode;

class StoredAddressesTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static final RecipientPseudonymizer COLLECTORS = new RecipientPseudonymizer("the-collectors-own-secret".getBytes(StandardCharsets.UTF_8));
    private static DSLContext db;

    @BeforeAll
    static void migrate() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
    }

    @Test
    void addressesStoredInClearBecomeTheCollectorsPseudonymsEverywhereAndOnlyOnce() {
        UUID workspace = UUID.randomUUID();
        UUID neighbour = UUID.randomUUID();
        List<ObjectNode> events = new ArrayList<>();
        // More than one batch, as stored before the collector withheld providers' addresses.
        for (int i = 0; i < 1_200; i++) {
            events.add(postmarkDelivery(workspace, "Jane.Doe+" + i + "@Example.com"));
        }
        events.add(postmarkDelivery(neighbour, "neighbour@example.org"));
        db.transaction(tx -> new EventStore().store(tx.dsl(), events.stream().map(EventJson::fromJson).toList()));
        db.transaction(tx -> new FailedEventStore().store(tx.dsl(), List.of(
                new FailedEvent(workspace, null, Stage.COLLECT, FailureReason.SCHEMA_VIOLATION, "/Recipient", "bad",
                        events.get(0).get("provider_payload"), null),
                new FailedEvent(workspace, null, Stage.COLLECT, FailureReason.UNREADABLE, null, "not JSON", null, "{\"To\": \"raw@example.net\""))));

        StoredAddresses withholding = new StoredAddresses(COLLECTORS);
        List<StoredAddresses.Progress> told = new ArrayList<>();
        StoredAddresses.Progress done = withholding.withhold(db, workspace, told::add);

        assertThat(done).isEqualTo(new StoredAddresses.Progress(1_200, 1_200, 2, 2));
        assertThat(told).as("progress after each batch").hasSizeGreaterThanOrEqualTo(3);
        String dump = text("SELECT string_agg(e::text, ' ') FROM events e WHERE workspace_id = ?", workspace)
                + text("SELECT string_agg(f::text, ' ') FROM failed_events f WHERE workspace_id = ?", workspace);
        assertThat(dump).doesNotContainIgnoringCase("jane.doe").doesNotContain("raw@example.net");
        Recipient first = COLLECTORS.pseudonymise(workspace, "Jane.Doe+0@Example.com", false);
        var stored = db.selectFrom(EVENTS).where(EVENTS.EVENT_ID.eq(UUID.fromString(events.get(0).get("event_id").asString()))).fetchOne();
        assertThat(stored.getProviderEventId()).endsWith(":" + first.hash() + "@" + first.domain());
        assertThat(WireJson.MAPPER.readTree(stored.getProviderPayload().data()).get("Recipient").asString())
                .isEqualTo(first.hash() + "@" + first.domain());
        assertThat(stored.getRecipientAddress()).isNull();
        assertThat(stored.getRecipientHash()).as("the hash the counts rest on is untouched").isEqualTo(first.hash());
        assertThat(db.fetchValue(DSL.select(FAILED_EVENTS.RAW_PAYLOAD).from(FAILED_EVENTS).where(FAILED_EVENTS.WORKSPACE_ID.eq(workspace),
                FAILED_EVENTS.REASON.eq("unreadable")))).contains("@example.net").doesNotContain("raw@");
        assertThat(text("SELECT provider_payload::text FROM events WHERE workspace_id = ?", neighbour))
                .as("another workspace is left alone").contains("neighbour@example.org");

        assertThat(withholding.withhold(db, workspace, p -> { })).as("a second run changes nothing")
                .isEqualTo(new StoredAddresses.Progress(1_200, 0, 2, 0));
    }

    @Test
    void aRunWithAnotherSecretThanTheCollectorsIsRefusedBeforeItChangesAnything() {
        UUID workspace = UUID.randomUUID();
        ObjectNode event = postmarkDelivery(workspace, "someone@example.com");
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(EventJson.fromJson(event))));
        StoredAddresses wrongSecret = new StoredAddresses(new RecipientPseudonymizer("not-the-collectors-secret".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> wrongSecret.withhold(db, workspace, p -> { }))
                .hasMessageContaining("not the one the stored recipients were hashed with");
        assertThat(text("SELECT provider_payload::text FROM events WHERE workspace_id = ?", workspace))
                .contains("someone@example.com");
    }

    private static String text(String sql, Object... bindings) {
        return db.fetchOne(sql, bindings).get(0, String.class);
    }

    /** A Postmark delivery as the collector stored it before it withheld providers' addresses: in the payload and in the id. */
    private static ObjectNode postmarkDelivery(UUID workspace, String address) {
        ObjectNode json = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_DELIVER).get(1).get("examples").get(0).deepCopy();
        Recipient recipient = COLLECTORS.pseudonymise(workspace, address, false);
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspace.toString());
        json.put("source", "postmark");
        json.putObject("recipient").put("hash", recipient.hash()).put("domain", recipient.domain());
        json.put("provider_event_id", "Delivery:" + UUID.randomUUID() + ":" + address);
        json.putObject("provider_payload").put("RecordType", "Delivery").put("Recipient", address)
                .put("Details", "Test delivery webhook details for " + address);
        return json;
    }
}
