package dev.mailpulse.storage.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LocalDay;
import dev.mailpulse.storage.facts.WholeDays;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deliverability read from the nightly facts of whole days and the raw store for the rest equals deliverability read
 * from the raw store alone: the same events are stored into two workspaces, of which only one has its days processed.
 * Days of Asia/Kathmandu (+05:45), messages deferred on several days, bounces without a kind, events without a
 * recipient (so without a domain); then a late event into a processed day, which makes that day's facts stale until it is processed again.
 */
class DeliverabilityFromFactsTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");
    private static final LocalDate FIRST = LocalDate.parse("2026-11-10");
    private static final UUID PROCESSED = UUID.randomUUID();
    private static final UUID RAW_ONLY = UUID.randomUUID();
    private static final List<String> TYPES = List.of("email.send", "email.deliver", "email.defer", "email.bounce", "email.reject",
            "email.complaint", "email.unsubscribe", "email.open");
    private static DSLContext db;

    @BeforeAll
    static void seed() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        for (UUID workspace : List.of(PROCESSED, RAW_ONLY)) {
            db.execute("INSERT INTO workspaces (workspace_id, name, time_zone) VALUES (?, ?, ?)", workspace, "w-" + workspace, KATHMANDU.getId());
        }
        Random random = new Random(7);
        List<Event> events = new ArrayList<>();
        Instant start = FIRST.atStartOfDay(KATHMANDU).toInstant();
        for (int i = 0; i < 1_500; i++) {
            // three days and a half, the first event at local midnight exactly
            Instant at = start.plusSeconds(i == 0 ? 0 : random.nextInt(3 * 86_400 + 43_200));
            String type = TYPES.get(random.nextInt(TYPES.size()));
            int recipient = random.nextInt(40);
            String domain = recipient % 9 == 0 ? null : "d" + recipient % 5 + ".example";
            String kind = type.equals("email.bounce") && recipient % 4 != 0 ? List.of("hard", "soft", "block").get(recipient % 3) : null;
            String campaign = recipient % 3 == 0 ? null : "c" + recipient % 2;
            for (UUID workspace : List.of(PROCESSED, RAW_ONLY)) {
                events.add(event(workspace, campaign, type, at, "r" + recipient, domain, kind));
            }
        }
        for (UUID workspace : List.of(PROCESSED, RAW_ONLY)) {
            // a domain that only opened: none of deliverability's counts
            events.add(event(workspace, "c1", "email.open", start.plusSeconds(40_000), "opener", "opened.example", null));
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
        for (int day = 0; day < 3; day++) {
            process(FIRST.plusDays(day));
        }
    }

    @Test
    void wholeDaysAndTheRest() {
        Instant from = FIRST.atStartOfDay(KATHMANDU).toInstant();
        Instant to = FIRST.plusDays(3).atStartOfDay(KATHMANDU).toInstant().plusSeconds(3_600);
        WholeDays split = WholeDays.within(db, PROCESSED, from.plusSeconds(60), to);
        assertThat(split.days()).as("the first day begins before the range").containsExactly(FIRST.plusDays(1), FIRST.plusDays(2));
        assertThat(split.rest()).containsExactly(new WholeDays.Span(from.plusSeconds(60), from.plusSeconds(86_400)),
                new WholeDays.Span(to.minusSeconds(3_600), to));
        assertThat(WholeDays.within(db, RAW_ONLY, from, to).days()).isEmpty();
    }

    @Test
    void equalToTheRawStoresAlone() {
        assertSameAsRaw();
        // a late bounce into the second day: its facts are stale, so that day is read from the raw store
        LocalDate second = FIRST.plusDays(1);
        Instant late = second.atStartOfDay(KATHMANDU).toInstant().plusSeconds(7_200);
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(event(PROCESSED, "c1", "email.bounce", late, "r1", "d1.example", "hard"),
                event(RAW_ONLY, "c1", "email.bounce", late, "r1", "d1.example", "hard"))));
        Instant from = FIRST.atStartOfDay(KATHMANDU).toInstant();
        assertThat(WholeDays.within(db, PROCESSED, from, from.plusSeconds(4 * 86_400)).days()).containsExactly(FIRST, FIRST.plusDays(2));
        assertSameAsRaw();
        process(second);
        assertSameAsRaw();
    }

    private static void assertSameAsRaw() {
        Instant from = FIRST.atStartOfDay(KATHMANDU).toInstant();
        for (Instant to : List.of(from.plusSeconds(3 * 86_400), from.plusSeconds(4 * 86_400))) {
            for (Dimension by : List.of(Dimension.MAILBOX_PROVIDER, Dimension.RECIPIENT_DOMAIN)) {
                for (Optional<String> campaign : List.of(Optional.<String>empty(), Optional.of("c1"))) {
                    List<Breakdowns.Deliverability> raw = new Breakdowns(db, RAW_ONLY).deliverability(by, from, to, campaign);
                    assertThat(raw).as("something to compare").hasSizeGreaterThan(2);
                    assertThat(new Breakdowns(db, PROCESSED).deliverability(by, from, to, campaign)).as(by + " " + campaign + " to " + to)
                            .isEqualTo(raw);
                }
            }
        }
    }

    private static void process(LocalDate day) {
        db.transaction(tx -> new DailyFacts(tx.dsl()).process(new LocalDay(PROCESSED, "processed", day, KATHMANDU), DailyFacts.Reason.ASKED, null));
    }

    private static Event event(UUID workspace, String campaign, String type, Instant at, String recipient, String domain, String bounceKind) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspace.toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        if (campaign != null) {
            json.put("campaign_id", campaign);
        }
        json.put("message_id", "<" + recipient + "@" + campaign + ">");
        if (domain != null) {
            json.putObject("recipient").put("hash", recipient).put("domain", domain);
        }
        ObjectNode attributes = json.putObject("attributes");
        if (bounceKind != null) {
            attributes.put("bounce_kind", bounceKind);
        }
        json.putObject("enrichment").put("mailbox_provider", domain == null ? "unknown" : "p" + domain.charAt(1)).put("automated", false);
        return EventJson.fromJson(json);
    }
}
