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

import dev.mailpulse.core.event.EnrichedEvents;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;

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
    private static MetricStore store;
    private UUID shop;

    @BeforeEach
    void store() throws Exception {
        if (db == null) {
            SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
            db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
            store = new MetricStore(db, "batch_");
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
        AlertEvaluator evaluator = new AlertEvaluator(store);
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
                    both.add(two.submit(() -> new AlertEvaluator(store).evaluate(shop, now))); // a new evaluator each time: a restart
                }
                for (Future<AlertEvaluator.Outcome> outcome : both) {
                    outcome.get();
                }
                new AlertEvaluator(store).evaluate(shop, now); // and the same instant judged again, as after a redelivery
            }
        } finally {
            two.shutdown();
        }
        assertThat(db.fetch("SELECT to_state FROM alert_transitions WHERE workspace_id = ? ORDER BY at, transition_id", shop)
                .getValues(0, String.class)).containsExactly("pending", "firing", "resolved", "normal");
        assertThat(db.fetchCount(DSL.table("alert_notifications"), DSL.field("workspace_id").eq(shop))).isEqualTo(4);
    }

    @Test
    void aFiringIsToldAgainEachRepeatIntervalUntilAcknowledged() throws Exception {
        UUID rule = repeatingRule();
        judgeTheHour(minute -> {
        });
        assertThat(notifications(rule)).as("firing at 00:21, again at 00:31 and 00:41, resolved at 00:44; two channels each")
                .containsExactly("firing 0 pending", "firing 0 pending", "firing 1 pending", "firing 1 pending", "firing 2 pending",
                        "firing 2 pending", "resolved 0 pending", "resolved 0 pending");

        store();
        UUID acknowledged = repeatingRule();
        judgeTheHour(minute -> {
            if (minute == 25) {
                assertThat(new AlertRules(db, shop).acknowledge(acknowledged, Map.of("mailbox_provider", "yahoo"), "ops@example.com",
                        "Yahoo's feedback loop: the list is being cleaned", at(25))).isTrue();
                assertThat(new AlertRules(db, shop).alerts(java.util.Optional.of(AlertState.FIRING)))
                        .filteredOn(a -> a.ruleId().equals(acknowledged)).singleElement()
                        .satisfies(a -> assertThat(a.acknowledgement().orElseThrow().comment()).startsWith("Yahoo's feedback loop"));
            }
        });
        assertThat(notifications(acknowledged)).as("acknowledged: no repeat, the resolution still told")
                .containsExactly("firing 0 pending", "firing 0 pending", "resolved 0 pending", "resolved 0 pending");
        assertThat(new AlertRules(db, shop).acknowledge(acknowledged, Map.of("mailbox_provider", "yahoo"), "ops@example.com", "late", at(59)))
                .as("nothing firing to acknowledge").isFalse();
    }

    @Test
    void aSilenceKeepsTheNotificationsOfTheAlertsItMatchesUnsentWhileItLasts() {
        new AlertSilences(db, shop).create(Map.of("mailbox_provider", "yahoo", "rule", "complaints"), START, START.plus(Duration.ofMinutes(30)),
                "Yahoo's complaints are being looked into", "ops@example.com");
        new AlertSilences(db, shop).create(Map.of("mailbox_provider", "gmail"), START, START.plus(Duration.ofHours(2)), "not Yahoo",
                "ops@example.com");
        judgeTheHour(minute -> {
        });
        assertThat(db.fetch("""
                SELECT t.to_state || ' ' || n.state FROM alert_notifications n JOIN alert_transitions t USING (transition_id)
                WHERE n.workspace_id = ? ORDER BY n.notification_id""", shop).getValues(0, String.class))
                .as("the firing at 00:21, in the silence; the resolution at 00:44, after it")
                .containsExactly("firing silenced", "firing silenced", "resolved pending", "resolved pending");
    }

    @Test
    void aRuleThatCannotBeEvaluatedIsInErrorAndCostsOnlyItself() {
        UUID failing = new AlertRules(db, shop).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "failing", "metric": "failed_event_rate", "window": "PT10M", "above": 0.5}"""))).id();
        AlertEvaluator evaluator = new AlertEvaluator(store);
        evaluator.evaluate(shop, at(10));
        db.execute("ALTER TABLE failed_events RENAME TO failed_events_away");
        List<AlertTransition> broken;
        try {
            broken = new ArrayList<>(evaluator.evaluate(shop, at(21)).transitions());
        } finally {
            db.execute("ALTER TABLE failed_events_away RENAME TO failed_events");
        }
        assertThat(broken).extracting(AlertTransition::rule, AlertTransition::labels, AlertTransition::to)
                .containsExactlyInAnyOrder(tuple("failing", Map.of(), AlertState.ERROR),
                        tuple("complaints", Map.of("mailbox_provider", "yahoo"), AlertState.PENDING));
        assertThat(evaluator.evaluate(shop, at(22)).transitions()).extracting(AlertTransition::rule, AlertTransition::to)
                .containsExactlyInAnyOrder(tuple("failing", AlertState.NORMAL), tuple("complaints", AlertState.FIRING));
        assertThat(db.fetch("SELECT from_state || ' ' || to_state FROM alert_transitions WHERE rule_id = ? ORDER BY at", failing)
                .getValues(0, String.class)).containsExactly("normal error", "error normal");
    }

    @Test
    void anInstanceThatDoesNotChangeIsWrittenAtMostOnceAMinute() {
        AlertEvaluator evaluator = new AlertEvaluator(store);
        evaluator.evaluate(shop, START.plus(Duration.ofMinutes(5)).plusSeconds(1));
        evaluator.evaluate(shop, START.plus(Duration.ofMinutes(5)).plusSeconds(40));
        assertThat(db.fetch("SELECT DISTINCT last_evaluated_at FROM alert_instances WHERE workspace_id = ?", shop).getValues(0, Instant.class))
                .containsExactly(START.plus(Duration.ofMinutes(5)).plusSeconds(1));
        evaluator.evaluate(shop, START.plus(Duration.ofMinutes(6)).plusSeconds(1));
        assertThat(db.fetch("SELECT DISTINCT last_evaluated_at FROM alert_instances WHERE workspace_id = ?", shop).getValues(0, Instant.class))
                .containsExactly(START.plus(Duration.ofMinutes(6)).plusSeconds(1));
    }

    private void judgeTheHour(java.util.function.IntConsumer before) {
        AlertEvaluator evaluator = new AlertEvaluator(store);
        for (int minute = 0; minute < 60; minute++) {
            before.accept(minute);
            evaluator.evaluate(shop, at(minute));
        }
    }

    /** The complaints rule of this workspace replaced by one told again every 10 minutes while it fires. */
    private UUID repeatingRule() {
        db.execute("DELETE FROM alert_rules WHERE workspace_id = ?", shop);
        return new AlertRules(db, shop).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT10M", "above": 0.003,
                 "min_volume": 20, "pending_evaluations": 2, "repeat_interval": "PT10M", "channels": [{"type": "webhook",
                 "url": "https://hooks.example.com/a", "secret": "0123456789abcdef"}, {"type": "email", "to": "ops@example.com"}]}"""))).id();
    }

    private List<String> notifications(UUID rule) {
        return db.fetch("""
                SELECT t.to_state || ' ' || n.round || ' ' || n.state FROM alert_notifications n JOIN alert_transitions t USING (transition_id)
                WHERE t.rule_id = ? ORDER BY n.notification_id""", rule).getValues(0, String.class);
    }

    private static Instant at(int minute) {
        return START.plus(Duration.ofMinutes(minute)).plusSeconds(30);
    }

    private Event event(String type, Instant at, String provider) {
        return EnrichedEvents.email(shop, type, at, provider, "autumn");
    }
}
