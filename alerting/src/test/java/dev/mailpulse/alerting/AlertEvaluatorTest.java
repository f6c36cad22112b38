package dev.mailpulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.ObjectNode;

/**
 * The evaluator over a complaint burst at Yahoo (four deliveries a minute to Gmail and to Yahoo for an hour, a
 * complaint a minute at Yahoo from 00:20 to 00:35), judged every minute as the stream app will judge it: Yahoo's
 * instance fires once and resolves once, each transition owes one notification to each channel; two evaluators
 * judging the same instants at once, and an evaluator that restarts, make no transition twice.
 */
class AlertEvaluatorTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static DSLContext db;
    private UUID shop;

    @BeforeEach
    void store() throws Exception {
        if (db == null) {
            SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
            db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        }
        shop = UUID.randomUUID();
        db.execute("INSERT INTO workspaces (workspace_id, name) VALUES (?, ?)", shop, "shop-" + shop);
        List<Event> events = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            Instant at = START.plus(Duration.ofMinutes(minute)).plusSeconds(7);
            for (int i = 0; i < 4; i++) {
                events.add(event("email.deliver", at, "gmail"));
                events.add(event("email.deliver", at, "yahoo"));
            }
            if (minute >= 20 && minute < 35) {
                events.add(event("email.complaint", at, "yahoo"));
            }
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
        new AlertRules(db, shop).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT10M", "above": 0.003,
                 "min_volume": 20, "pending_evaluations": 2, "channels": [{"type": "webhook", "url": "https://hooks.example.com/a",
                 "secret": "0123456789abcdef"}, {"type": "email", "to": "ops@example.com"}]}""")));
    }

    @Test
    void theBurstFiresOnceAndResolvesOnce() {
        AlertEvaluator evaluator = new AlertEvaluator(db);
        List<AlertTransition> transitions = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            AlertEvaluator.Outcome outcome = evaluator.evaluate(shop, START.plus(Duration.ofMinutes(minute)).plusSeconds(30));
            assertThat(outcome.judged()).isTrue();
            transitions.addAll(outcome.transitions());
        }
        // at 00:20:30 the window [00:11, 00:21) holds its first complaint: pending; a minute later firing; the window
        // that ends at 00:45 is the first without one: resolved, then normal
        assertThat(transitions).filteredOn(t -> t.labels().equals(Map.of("mailbox_provider", "yahoo")))
                .extracting(AlertTransition::at, AlertTransition::to)
                .containsExactly(tuple(at(20), AlertState.PENDING), tuple(at(21), AlertState.FIRING), tuple(at(44), AlertState.RESOLVED),
                        tuple(at(45), AlertState.NORMAL));
        assertThat(transitions).filteredOn(t -> t.labels().equals(Map.of("mailbox_provider", "gmail"))).isEmpty();
        assertThat(db.fetchCount(DSL.table("alert_notifications"), DSL.field("workspace_id").eq(shop))).as("firing and resolved, two channels each")
                .isEqualTo(4);
        assertThat(new AlertRules(db, shop).alerts(java.util.Optional.of(AlertState.NORMAL))).hasSize(2);
    }

    @Test
    void twoEvaluatorsAndRestartsMakeEachTransitionOnce() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int minute = 0; minute < 60; minute++) {
                Instant now = START.plus(Duration.ofMinutes(minute)).plusSeconds(30);
                List<Future<AlertEvaluator.Outcome>> both = new ArrayList<>();
                for (int evaluator = 0; evaluator < 2; evaluator++) {
                    both.add(two.submit(() -> new AlertEvaluator(db).evaluate(shop, now))); // a new evaluator each time: a restart
                }
                for (Future<AlertEvaluator.Outcome> outcome : both) {
                    outcome.get();
                }
                new AlertEvaluator(db).evaluate(shop, now); // and the same instant judged again, as after a redelivery
            }
        } finally {
            two.shutdown();
        }
        assertThat(db.fetch("SELECT to_state FROM alert_transitions WHERE workspace_id = ? ORDER BY at, transition_id", shop)
                .getValues(0, String.class)).containsExactly("pending", "firing", "resolved", "normal");
        assertThat(db.fetchCount(DSL.table("alert_notifications"), DSL.field("workspace_id").eq(shop))).isEqualTo(4);
    }

    private static Instant at(int minute) {
        return START.plus(Duration.ofMinutes(minute)).plusSeconds(30);
    }

    private Event event(String type, Instant at, String provider) {
        ObjectNode json = WireJson.MAPPER.createObjectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", shop.toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        json.put("campaign_id", "autumn");
        json.put("message_id", "<" + UUID.randomUUID() + "@autumn>");
        json.putObject("recipient").put("hash", UUID.randomUUID().toString()).put("domain", provider + ".com");
        json.putObject("attributes");
        json.putObject("enrichment").put("mailbox_provider", provider).put("automated", false);
        return EventJson.fromJson(json);
    }
}
