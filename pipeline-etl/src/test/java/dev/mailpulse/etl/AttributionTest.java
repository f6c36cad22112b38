package dev.mailpulse.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.etl.job.DailyEtl;
import dev.mailpulse.etl.job.EtlRequest;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Revenue attribution by the daily ETL, one recipient per rule: a conversion naming its message credits the message's
 * campaign; else the last human click within the window (the window's edge excluded); a click outside it, a bot
 * click or an open (while opens are off) credits nothing. A late click re-attributes on the next run, a longer window
 * recomputes every day, opening the open window credits the open. Costs come from campaign.create version 2, and a
 * cost set later wins.
 */
@SpringBootTest(classes = AttributionTest.Etl.class, properties = {"spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=always",
        "spring.jooq.sql-dialect=postgres", "mailpulse.etl.max-event-age=3650d"})
class AttributionTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres()
            .preparedWith(database -> SchemaMigrator.migrate(database.jdbcUrl(), database.user(), database.password()));

    @SpringBootApplication
    static class Etl {
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
    }

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final LocalDate DAY = LocalDate.parse("2026-10-26"); // the day after the change to winter time
    /** The conversions' moment: 10:00 in Paris. */
    private static final Instant T = DAY.atTime(10, 0).atZone(PARIS).toInstant();

    @Autowired
    DailyEtl etl;
    @Autowired
    DSLContext db;

    private final UUID workspace = UUID.randomUUID();
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void conversionsOfEveryKind() {
        db.execute("TRUNCATE events, etl_changes, etl_days, daily_campaign_facts, daily_domain_facts, daily_recipient_facts, "
                + "campaign_daily_kpis, campaign_lifetime_kpis, daily_attribution, campaign_costs");
        db.execute("DELETE FROM workspaces");
        db.execute("INSERT INTO workspaces (workspace_id, name, time_zone) VALUES (?, 'shop', ?)", workspace, PARIS.getId());
        // by message, though a human click of another campaign is more recent
        add(send("message", "m-1", "spring", T.minus(Duration.ofDays(12))));
        add(engagement("message", "email.click", "autumn", T.minus(Duration.ofHours(1)), false));
        add(conversion("message", T, "m-1", "100.00", "EUR"));
        // the last human click within 5 days, not the earlier one
        add(engagement("clicker", "email.click", "spring", T.minus(Duration.ofDays(4)), false));
        add(engagement("clicker", "email.click", "autumn", T.minus(Duration.ofDays(2)), false));
        add(conversion("clicker", T, null, "40.00", "EUR"));
        add(conversion("clicker", T.plus(Duration.ofHours(2)), null, "15.50", "USD"));
        // a message we never sent: the click decides
        add(engagement("unknown-message", "email.click", "winter", T.minus(Duration.ofHours(3)), false));
        add(conversion("unknown-message", T, "m-never-sent", "7.00", "EUR"));
        // outside the window: exactly 120 hours before is outside, a minute less is inside
        add(engagement("edge", "email.click", "spring", T.minus(Duration.ofHours(120)), false));
        add(conversion("edge", T, null, "1.00", "EUR"));
        add(engagement("inside-edge", "email.click", "winter", T.minus(Duration.ofHours(120)).plusSeconds(60), false));
        add(conversion("inside-edge", T, null, "2.00", "EUR"));
        add(engagement("old-click", "email.click", "spring", T.minus(Duration.ofDays(6)), false));
        add(conversion("old-click", T, null, "30.00", "EUR"));
        // bot clicks and an open, while opens are off
        add(engagement("bot", "email.click", "autumn", T.minus(Duration.ofHours(1)), true));
        add(conversion("bot", T, null, "50.00", "EUR"));
        add(engagement("opener", "email.open", "autumn", T.minus(Duration.ofHours(5)), false));
        add(engagement("opener", "email.open", "spring", T.minus(Duration.ofHours(2)), true));
        add(conversion("opener", T, null, "8.00", "EUR"));
        // costs: declared at creation, then set again through the API (which wins), and declared for another campaign
        add(created("spring", T.minus(Duration.ofDays(13)), "500", "EUR"));
        add(created("autumn", T.minus(Duration.ofDays(13)), "20", "USD"));
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
    }

    @Test
    void eachConversionCreditsByItsRuleAndALateClickOrAChangedWindowAttributesAgain() throws Exception {
        assertThat(etl.run(EtlRequest.due()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<String, String> expected = new TreeMap<>(Map.of(
                "spring message EUR", "1 100.00",
                "autumn click EUR", "1 40.00",
                "autumn click USD", "1 15.50",
                "winter click EUR", "2 9.00",
                " unattributed EUR", "4 89.00"));
        assertThat(attribution(DAY)).isEqualTo(expected);
        assertThat(db.fetchValue("SELECT count(*) FROM etl_days WHERE attributed_at IS NOT NULL AND attribution_click_hours = 120"))
                .as("every processed day attributed, with its window").isEqualTo((long) db.fetchCount(db.selectFrom("etl_days")));
        assertThat(db.fetch("SELECT campaign_id || ' ' || trim_scale(amount) || ' ' || currency || ' ' || source FROM campaign_costs ORDER BY 1")
                .getValues(0, String.class)).containsExactly("autumn 20 USD event", "spring 500 EUR event");

        // a click that arrives late: its day is processed again, and the conversions' day with it
        Event late = engagement("old-click", "email.click", "late", T.minus(Duration.ofDays(1)), false);
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(late)));
        assertThat(etl.run(EtlRequest.due()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        expected.put("late click EUR", "1 30.00");
        expected.put(" unattributed EUR", "3 59.00");
        assertThat(attribution(DAY)).as("re-attributed after the late click").isEqualTo(expected);

        // a week's window reaches the six-day-old click and the edge's; opens credit once their window is set
        db.execute("UPDATE workspaces SET attribution_click_hours = 168, attribution_open_hours = 24");
        assertThat(etl.run(EtlRequest.due()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(attribution(DAY)).as("recomputed under the new windows").isEqualTo(new TreeMap<>(Map.of(
                "spring message EUR", "1 100.00",
                "autumn click EUR", "1 40.00",
                "autumn click USD", "1 15.50",
                "winter click EUR", "2 9.00",
                "late click EUR", "1 30.00",
                "spring click EUR", "1 1.00",
                "autumn open EUR", "1 8.00",
                " unattributed EUR", "1 50.00")));
        assertThat(db.fetchValue("SELECT count(*) FROM etl_days WHERE attribution_click_hours = 168 AND attribution_open_hours = 24"))
                .as("the facts record the windows that produced them").isEqualTo((long) db.fetchCount(db.selectFrom("etl_days")));
    }

    @Test
    void aCostSetAfterTheCampaignWasCreatedWinsOverItsEvent() throws Exception {
        db.execute("INSERT INTO campaign_costs (workspace_id, campaign_id, amount, currency, source, set_at, set_by) "
                + "VALUES (?, 'spring', 650, 'EUR', 'manual', now(), 'admin@shop.example')", workspace);
        assertThat(etl.run(EtlRequest.due()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(db.fetch("SELECT campaign_id || ' ' || trim_scale(amount) || ' ' || currency || ' ' || source FROM campaign_costs ORDER BY 1")
                .getValues(0, String.class)).containsExactly("autumn 20 USD event", "spring 650 EUR manual");
    }

    /** "campaign method currency" → "conversions revenue" of the day. */
    private Map<String, String> attribution(LocalDate day) {
        Map<String, String> found = new TreeMap<>();
        db.fetch("SELECT campaign_id, method, currency, conversions, revenue FROM daily_attribution WHERE day = ?", day)
                .forEach(r -> found.put(r.get(0) + " " + r.get(1) + " " + r.get(2),
                        r.get(3) + " " + r.get(4, BigDecimal.class).setScale(2, java.math.RoundingMode.UNNECESSARY)));
        return found;
    }

    private void add(Event event) {
        events.add(event);
    }

    private Event send(String recipient, String messageId, String campaign, Instant at) {
        ObjectNode json = envelope("email.send", campaign, at);
        json.put("message_id", messageId);
        recipient(json, recipient);
        return EventJson.fromJson(json);
    }

    private Event engagement(String recipient, String type, String campaign, Instant at, boolean automated) {
        ObjectNode json = envelope(type, campaign, at);
        json.put("message_id", "<" + recipient + "." + campaign + "@shop.example>");
        recipient(json, recipient);
        ((ObjectNode) json.get("enrichment")).put("automated", automated);
        return EventJson.fromJson(json);
    }

    private Event conversion(String recipient, Instant at, String messageId, String amount, String currency) {
        ObjectNode json = envelope("email.conversion", null, at);
        recipient(json, recipient);
        ObjectNode attributes = json.putObject("attributes").put("amount", new BigDecimal(amount)).put("currency", currency);
        Optional.ofNullable(messageId).ifPresent(id -> attributes.put("attributed_message_id", id));
        return EventJson.fromJson(json);
    }

    private Event created(String campaign, Instant at, String cost, String currency) {
        ObjectNode json = envelope("campaign.create", campaign, at);
        json.put("schema_version", 2);
        json.putObject("attributes").put("name", campaign).putObject("cost").put("amount", new BigDecimal(cost)).put("currency", currency);
        return EventJson.fromJson(json);
    }

    private ObjectNode envelope(String type, String campaign, Instant at) {
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
        json.putObject("attributes");
        json.putObject("enrichment").put("mailbox_provider", "gmail").put("automated", false);
        return json;
    }

    private static void recipient(ObjectNode json, String recipient) {
        json.putObject("recipient").put("hash", recipient).put("domain", "gmail.com");
    }
}
