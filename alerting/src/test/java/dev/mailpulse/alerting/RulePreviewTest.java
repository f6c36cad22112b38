package dev.mailpulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.core.event.EnrichedEvents;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;

/**
 * A rule previewed over six hours of the read model: four deliveries a minute to Gmail and to Yahoo, and from 02:00
 * to 02:30 a complaint a minute at Yahoo. The Gmail and Yahoo preset's rule (complaints above 0.3% of deliveries over
 * 15 minutes, from 20 deliveries) fires Yahoo's instance for the two windows of the burst, and never Gmail's.
 */
class RulePreviewTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final UUID SHOP = UUID.randomUUID();
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant END = START.plus(Duration.ofHours(6));
    private static DSLContext db;

    @BeforeAll
    static void store() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        db.execute("INSERT INTO workspaces (workspace_id, name) VALUES (?, 'preview-shop')", SHOP);
        List<Event> events = new ArrayList<>();
        for (int minute = 0; minute < 360; minute++) {
            Instant at = START.plus(Duration.ofMinutes(minute)).plusSeconds(7);
            for (int i = 0; i < 4; i++) {
                events.add(event("email.deliver", at, "gmail"));
                events.add(event("email.deliver", at, "yahoo"));
            }
            if (minute >= 120 && minute < 150) {
                events.add(event("email.complaint", at, "yahoo"));
            }
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
    }

    @Test
    void firesTheSpikingProvidersInstanceOnly() {
        RulePreview.Preview preview = RulePreview.of(db, SHOP, rule(20, 1), START, END);
        assertThat(preview.step()).isEqualTo(Duration.ofMinutes(15));
        assertThat(preview.evaluations()).isEqualTo(24);
        assertThat(preview.transitions()).extracting(AlertTransition::at, AlertTransition::labels, AlertTransition::to)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(135)), Map.of("mailbox_provider", "yahoo"), AlertState.FIRING),
                        tuple(START.plus(Duration.ofMinutes(165)), Map.of("mailbox_provider", "yahoo"), AlertState.RESOLVED),
                        tuple(START.plus(Duration.ofMinutes(180)), Map.of("mailbox_provider", "yahoo"), AlertState.NORMAL));
        AlertTransition fired = preview.transitions().get(0);
        assertThat(fired.value()).contains(15.0 / 60); // the window's 15 complaints of 60 deliveries
        assertThat(fired.volume()).isEqualTo(60);
        assertThat(preview.firingAtTheEnd()).isEmpty();
    }

    @Test
    void aPendingPeriodLongerThanTheBurstHoldsItBack() {
        assertThat(RulePreview.of(db, SHOP, rule(20, 3), START, END).transitions())
                .extracting(AlertTransition::to).containsExactly(AlertState.PENDING, AlertState.NORMAL);
        assertThat(RulePreview.of(db, SHOP, rule(20, 2), START, END).transitions())
                .extracting(AlertTransition::to).containsExactly(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED, AlertState.NORMAL);
    }

    @Test
    void belowTheMinimumVolumeNothingIsJudged() {
        assertThat(RulePreview.of(db, SHOP, rule(61, 1), START, END).transitions()).isEmpty();
    }

    @Test
    void whatTheReadModelCannotGiveIsRefusedWithTheField() {
        assertThatThrownBy(() -> RulePreview.of(db, SHOP, read("""
                {"name": "hard", "metric": "hard_bounce_rate", "window": "PT15M", "above": 0.02}"""), START, END))
                .isInstanceOfSatisfying(InvalidRule.class, e -> assertThat(e.field()).isEqualTo("metric"));
        assertThatThrownBy(() -> RulePreview.of(db, SHOP, read("""
                {"name": "by domain", "metric": "complaint_rate", "split_by": "recipient_domain", "window": "PT15M", "above": 0.003}"""), START, END))
                .isInstanceOfSatisfying(InvalidRule.class, e -> assertThat(e.field()).isEqualTo("split_by"));
    }

    private static AlertRule rule(int minVolume, int pendingEvaluations) {
        return read("""
                {"name": "complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.003,
                 "min_volume": %d, "pending_evaluations": %d}""".formatted(minVolume, pendingEvaluations));
    }

    private static AlertRule read(String json) {
        return AlertRuleJson.read(WireJson.MAPPER.readTree(json));
    }

    private static Event event(String type, Instant at, String provider) {
        return EnrichedEvents.email(SHOP, type, at, provider, "autumn");
    }
}
