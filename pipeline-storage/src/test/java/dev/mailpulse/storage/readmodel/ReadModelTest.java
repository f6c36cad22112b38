package dev.mailpulse.storage.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
import dev.mailpulse.storage.events.StoredEvents;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ReadModelTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final UUID ACME = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final StoredEvents.Filter ANY = new StoredEvents.Filter(Optional.empty(), Optional.empty(), Optional.empty());
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
            List<ReadModel.Point> points = acme.timeSeries(resolution, DAY, DAY.plusSeconds(86_400), Optional.of("spring"), ZoneOffset.UTC);
            assertThat(points.stream().filter(p -> p.eventType().equals("email.open")).mapToLong(ReadModel.Point::events).sum())
                    .as(resolution.name()).isEqualTo(5);
        }
        List<ReadModel.Point> hourly = acme.timeSeries(Resolution.HOUR, DAY, DAY.plusSeconds(86_400), Optional.of("spring"), ZoneOffset.UTC);
        assertThat(hourly).filteredOn(p -> p.eventType().equals("email.open") && p.bucket().equals(DAY.plusSeconds(10 * 3600)))
                .singleElement().satisfies(p -> {
                    assertThat(p.events()).isEqualTo(4);
                    assertThat(p.uniqueRecipients()).hasValue(2);
                    assertThat(p.uniqueHumanRecipients()).hasValue(2);
                });
    }

    @Test
    void seriesInATimeZoneHaveItsDaysAndHours() {
        ReadModel acme = new ReadModel(db, ACME);
        ZoneId paris = ZoneId.of("Europe/Paris");
        Instant parisDay = Instant.parse("2026-11-19T23:00:00Z");
        assertThat(acme.timeSeries(Resolution.DAY, parisDay, parisDay.plusSeconds(86_400), Optional.of("spring"), paris))
                .filteredOn(p -> p.eventType().equals("email.open")).singleElement().satisfies(p -> {
                    assertThat(p.bucket()).isEqualTo(parisDay);
                    assertThat(p.events()).isEqualTo(5);
                    assertThat(p.uniqueRecipients()).as("not exact when made of hours").isEmpty();
                });
        // +05:45: hours start at a quarter past in UTC, so they are made of minutes
        ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
        Instant kathmanduDay = Instant.parse("2026-11-19T18:15:00Z");
        assertThat(acme.timeSeries(Resolution.HOUR, kathmanduDay, kathmanduDay.plusSeconds(86_400), Optional.of("spring"), kathmandu))
                .filteredOn(p -> p.eventType().equals("email.open")).extracting(ReadModel.Point::bucket, ReadModel.Point::events)
                .containsExactly(tuple(Instant.parse("2026-11-20T09:15:00Z"), 3L), tuple(Instant.parse("2026-11-20T10:15:00Z"), 2L));
        assertThatThrownBy(() -> acme.timeSeries(Resolution.DAY, DAY, DAY.plusSeconds(86_400), Optional.empty(), paris))
                .hasMessageContaining("from: the start of a day in Europe/Paris (such as 2026-11-20T00:00+01:00)");
    }

    @Test
    void breakdownsByEveryDimensionFromTheRawStore() {
        Breakdowns acme = new Breakdowns(db, ACME);
        Instant to = DAY.plusSeconds(86_400);
        assertThat(acme.by(Dimension.MAILBOX_PROVIDER, DAY, to, Optional.of("spring"), 100).rows())
                .contains(new Breakdowns.Row("gmail", "email.deliver", 5, 0), new Breakdowns.Row("microsoft", "email.deliver", 3, 0),
                        new Breakdowns.Row("microsoft", "email.click", 1, 1));
        assertThat(acme.by(Dimension.BOUNCE_KIND, DAY, to, Optional.of("spring"), 100).rows())
                .containsExactly(new Breakdowns.Row("hard", "email.bounce", 1, 0), new Breakdowns.Row("soft", "email.bounce", 1, 0));
        Breakdowns.Breakdown clients = acme.by(Dimension.CLIENT, DAY, to, Optional.of("spring"), 100);
        assertThat(clients.rows()).containsExactly(new Breakdowns.Row("Gmail", "email.click", 3, 1), new Breakdowns.Row("Gmail", "email.open", 2, 1),
                new Breakdowns.Row("Outlook", "email.open", 3, 1));
        Breakdowns.Breakdown top = acme.by(Dimension.CLIENT, DAY, to, Optional.of("spring"), 1);
        assertThat(top.rows()).extracting(Breakdowns.Row::value).containsOnly("Gmail");
        assertThat(top.valuesLeftOff()).isEqualTo(1);
        assertThat(acme.by(Dimension.COUNTRY, DAY, to, Optional.of("spring"), 100).rows()).as("no country known")
                .extracting(Breakdowns.Row::value).containsOnlyNulls();
        assertThatThrownBy(() -> acme.by(Dimension.LINK, DAY, DAY.plus(32, ChronoUnit.DAYS), Optional.empty(), 10)).hasMessageContaining("31 days");
        assertThatThrownBy(() -> Dimension.of("planet")).hasMessageContaining("dimension: one of mailbox-provider, recipient-domain");
    }

    @Test
    void deliverabilityByMailboxProvider() {
        List<Breakdowns.Deliverability> rows = new Breakdowns(db, ACME).deliverability(Dimension.MAILBOX_PROVIDER, DAY, DAY.plusSeconds(86_400),
                Optional.of("spring"));
        assertThat(rows).extracting(Breakdowns.Deliverability::value).containsExactly("gmail", "microsoft");
        Breakdowns.Deliverability gmail = rows.get(0);
        assertThat(gmail.sent()).isEqualTo(10);
        assertThat(gmail.delivered()).isEqualTo(5);
        assertThat(gmail.bouncesByKind()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("hard", 1L, "soft", 1L));
        assertThat(gmail.deliveryRate()).contains(0.5);
        assertThat(gmail.bounceRate()).contains(0.2);
        assertThat(gmail.complaintRate()).contains(0.0);
        assertThat(rows.get(1).deliveryRate()).as("nothing sent to count from").isEmpty();
    }

    @Test
    void rawEventsPageByPageNewestFirst() {
        StoredEvents acme = new StoredEvents(db, ACME);
        StoredEvents.Filter spring = new StoredEvents.Filter(Optional.of("spring"), Optional.empty(), Optional.empty());
        List<StoredEvents.StoredEvent> all = new ArrayList<>();
        Optional<StoredEvents.Position> after = Optional.empty();
        List<StoredEvents.StoredEvent> page;
        do {
            page = acme.page(spring, DAY, DAY.plusSeconds(86_400), after, 10);
            all.addAll(page);
            after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).position());
        } while (page.size() == 10);
        assertThat(all).hasSize(28).doesNotHaveDuplicates();
        assertThat(all).extracting(StoredEvents.StoredEvent::occurredAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(acme.page(new StoredEvents.Filter(Optional.empty(), Optional.empty(), Optional.of("email.open")), DAY, DAY.plusSeconds(86_400),
                Optional.empty(), 100)).hasSize(5);
        assertThat(acme.page(new StoredEvents.Filter(Optional.empty(), Optional.of("<r1@spring>"), Optional.of("email")), DAY, DAY.plusSeconds(86_400),
                Optional.empty(), 100)).hasSize(5);
        assertThat(acme.newest()).hasValueSatisfying(arrival -> assertThat(arrival.receivedAt()).isEqualTo(DAY.plusSeconds(11 * 3600)));
    }

    @Test
    void noQueryReadsAnotherWorkspace() {
        ReadModel acme = new ReadModel(db, ACME);
        assertThat(acme.totals(DAY, DAY.plusSeconds(86_400), Optional.empty()).count("email.open")).isEqualTo(5);
        assertThat(new ReadModel(db, OTHER).totals(DAY, DAY.plusSeconds(86_400), Optional.empty()).count("email.open")).isEqualTo(50);
        assertThat(new ReadModel(db, UUID.randomUUID()).timeSeries(Resolution.DAY, DAY, DAY.plusSeconds(86_400), Optional.empty(), ZoneOffset.UTC))
                .isEmpty();
        assertThat(new Breakdowns(db, UUID.randomUUID()).by(Dimension.MAILBOX_PROVIDER, DAY, DAY.plusSeconds(86_400), Optional.empty(), 10).rows()).isEmpty();
        assertThat(new StoredEvents(db, UUID.randomUUID()).page(ANY, DAY, DAY.plusSeconds(86_400), Optional.empty(), 10)).isEmpty();
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
        ObjectNode enrichment = json.putObject("enrichment").put("mailbox_provider", provider).put("automated", automated);
        if (type.equals("email.open") || type.equals("email.click")) {
            enrichment.putObject("client").put("name", recipient.equals("r0") ? "Outlook" : "Gmail").put("device_type", "mobile");
        }
        return EventJson.fromJson(json);
    }
}
