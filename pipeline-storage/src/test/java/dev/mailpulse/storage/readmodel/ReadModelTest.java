package dev.mailpulse.storage.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ReadModelTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final UUID ACME = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static DSLContext db;

    @BeforeAll
    static void seed() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        List<Event> events = new ArrayList<>();
        // Campaign "spring": 10 sends and 8 deliveries at 09:00, opens by 3 recipients (one of them twice and once by
        // a privacy proxy) at 10:xx, 2 clicks by one recipient and a bot click, a hard and a soft bounce.
        for (int i = 0; i < 10; i++) {
            events.add(event(ACME, "spring", "email.send", DAY.plusSeconds(9 * 3600 + i), "r" + i, "gmail", false, null));
        }
        for (int i = 0; i < 8; i++) {
            events.add(event(ACME, "spring", "email.deliver", DAY.plusSeconds(9 * 3600 + 60 + i), "r" + i, i < 5 ? "gmail" : "microsoft", false, null));
        }
        events.add(event(ACME, "spring", "email.open", DAY.plusSeconds(10 * 3600), "r0", "gmail", true, null));
        events.add(event(ACME, "spring", "email.open", DAY.plusSeconds(10 * 3600 + 30), "r0", "gmail", false, null));
        events.add(event(ACME, "spring", "email.open", DAY.plusSeconds(10 * 3600 + 900), "r0", "gmail", false, null));
        events.add(event(ACME, "spring", "email.open", DAY.plusSeconds(10 * 3600 + 60), "r1", "gmail", false, null));
        events.add(event(ACME, "spring", "email.open", DAY.plusSeconds(11 * 3600), "r5", "microsoft", true, null));
        events.add(event(ACME, "spring", "email.click", DAY.plusSeconds(10 * 3600 + 120), "r1", "gmail", false, null));
        events.add(event(ACME, "spring", "email.click", DAY.plusSeconds(10 * 3600 + 180), "r1", "gmail", false, null));
        events.add(event(ACME, "spring", "email.click", DAY.plusSeconds(9 * 3600 + 65), "r6", "microsoft", true, null));
        events.add(event(ACME, "spring", "email.bounce", DAY.plusSeconds(9 * 3600 + 70), "r8", "gmail", false, "hard"));
        events.add(event(ACME, "spring", "email.bounce", DAY.plusSeconds(9 * 3600 + 75), "r9", "gmail", false, "soft"));
        // Another campaign of the same workspace, and another workspace entirely.
        events.add(event(ACME, "autumn", "email.send", DAY.plusSeconds(9 * 3600), "r0", "gmail", false, null));
        for (int i = 0; i < 50; i++) {
            events.add(event(OTHER, "spring", "email.open", DAY.plusSeconds(10 * 3600 + i), "x" + i, "gmail", false, null));
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
    }

    @Test
    void totalsAndRatesOfACampaign() {
        ReadModel.Totals totals = new ReadModel(db, ACME).totals(DAY, DAY.plusSeconds(86_400), Optional.of("spring"));
        assertThat(totals.count("email.send")).isEqualTo(10);
        assertThat(totals.count("email.open")).isEqualTo(5);
        assertThat(totals.machineOpens()).isEqualTo(2);
        assertThat(totals.botClicks()).isEqualTo(1);
        assertThat(totals.uniqueOpeners()).isEqualTo(3);
        assertThat(totals.uniqueHumanOpeners()).isEqualTo(2);
        assertThat(totals.uniqueClickers()).isEqualTo(2);
        assertThat(totals.uniqueHumanClickers()).isEqualTo(1);
        assertThat(totals.deliveryRate()).contains(0.8);
        assertThat(totals.humanOpenRate()).contains(2.0 / 8);
        assertThat(totals.openRate()).contains(3.0 / 8);
        assertThat(totals.humanClickRate()).contains(1.0 / 8);
        assertThat(totals.bounceRate()).contains(0.2);
        assertThat(totals.bouncesByKind()).containsEntry("hard", 1L).containsEntry("soft", 1L);
        assertThat(totals.complaintRate()).contains(0.0);
    }

    @Test
    void aTimeSeriesAtEachResolutionAddsUpToTheSameCounts() {
        ReadModel acme = new ReadModel(db, ACME);
        for (Resolution resolution : Resolution.values()) {
            List<ReadModel.Point> points = acme.timeSeries(resolution, DAY, DAY.plusSeconds(86_400), Optional.of("spring"));
            assertThat(points.stream().filter(p -> p.eventType().equals("email.open")).mapToLong(ReadModel.Point::events).sum())
                    .as(resolution.name()).isEqualTo(5);
        }
        List<ReadModel.Point> hourly = acme.timeSeries(Resolution.HOUR, DAY, DAY.plusSeconds(86_400), Optional.of("spring"));
        assertThat(hourly).filteredOn(p -> p.eventType().equals("email.open") && p.bucket().equals(DAY.plusSeconds(10 * 3600)))
                .singleElement().satisfies(p -> {
                    assertThat(p.events()).isEqualTo(4);
                    assertThat(p.uniqueRecipients()).isEqualTo(2);
                    assertThat(p.uniqueHumanRecipients()).isEqualTo(2);
                });
    }

    @Test
    void theBreakdownByMailboxProvider() {
        assertThat(new ReadModel(db, ACME).byMailboxProvider(DAY, DAY.plusSeconds(86_400), Optional.of("spring")))
                .contains(new ReadModel.ProviderCount("gmail", "email.deliver", 5, 0),
                        new ReadModel.ProviderCount("microsoft", "email.deliver", 3, 0),
                        new ReadModel.ProviderCount("microsoft", "email.click", 1, 1));
    }

    @Test
    void noQueryReadsAnotherWorkspace() {
        ReadModel acme = new ReadModel(db, ACME);
        assertThat(acme.totals(DAY, DAY.plusSeconds(86_400), Optional.empty()).count("email.open")).isEqualTo(5);
        assertThat(new ReadModel(db, OTHER).totals(DAY, DAY.plusSeconds(86_400), Optional.empty()).count("email.open")).isEqualTo(50);
        assertThat(new ReadModel(db, UUID.randomUUID()).timeSeries(Resolution.DAY, DAY, DAY.plusSeconds(86_400), Optional.empty())).isEmpty();
        assertThat(acme.totals(DAY, DAY.plusSeconds(86_400), Optional.empty()).count("email.send")).isEqualTo(11);
    }

    @Test
    void refusesRangesItCannotAnswerExactly() {
        ReadModel acme = new ReadModel(db, ACME);
        assertThatThrownBy(() -> acme.totals(DAY.plusSeconds(30), DAY.plusSeconds(90), Optional.empty())).hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> acme.totals(DAY, DAY, Optional.empty())).hasMessageContaining("ends after it starts");
    }

    private static Event event(UUID workspace, String campaign, String type, Instant at, String recipient, String provider,
                               boolean automated, String bounceKind) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspace.toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        json.put("campaign_id", campaign);
        json.put("message_id", "<" + recipient + "@" + campaign + ">");
        json.putObject("recipient").put("hash", recipient).put("domain", "example.com");
        ObjectNode attributes = json.putObject("attributes");
        if (bounceKind != null) {
            attributes.put("bounce_kind", bounceKind);
        }
        json.putObject("enrichment").put("mailbox_provider", provider).put("automated", automated);
        return EventJson.fromJson(json);
    }
}
