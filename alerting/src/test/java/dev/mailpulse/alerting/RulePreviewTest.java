package dev.mailpulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
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
 * Rules previewed over six hours of the read model: four sends and four deliveries a minute to Gmail and to Yahoo, and
 * <ul>
 * <li>from 02:00 to 02:30 a complaint a minute at Yahoo: the Gmail and Yahoo preset's rule (complaints above 0.3% of
 * deliveries over 15 minutes, from 20 deliveries) fires Yahoo's instance for the two windows of the burst, never
 * Gmail's;</li>
 * <li>from 03:20 to 03:25 one SMTP host down every minute, the other up;</li>
 * <li>from 04:00 to 04:30 a hard bounce a minute at Gmail and a soft one at Yahoo;</li>
 * <li>from 05:00 to 05:15 ten more sends a minute to Yahoo;</li>
 * <li>from 05:20 to 05:25 ten failed events a minute.</li>
 * </ul>
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
            for (int i = 0; i < 4 + (minute >= 300 && minute < 315 ? 10 : 0); i++) {
                events.add(event("email.send", at, "yahoo"));
            }
            for (int i = 0; i < 4; i++) {
                events.add(event("email.send", at, "gmail"));
            }
            if (minute >= 120 && minute < 150) {
                events.add(event("email.complaint", at, "yahoo"));
            }
            if (minute >= 200 && minute < 205) {
                events.add(EnrichedEvents.infrastructure(SHOP, "infrastructure.smtp_status", at, WireJson.MAPPER.createObjectNode()
                        .put("host", "mx1.example.com").put("status", "down")));
                events.add(EnrichedEvents.infrastructure(SHOP, "infrastructure.smtp_status", at, WireJson.MAPPER.createObjectNode()
                        .put("host", "mx2.example.com").put("status", "up")));
            }
            if (minute >= 240 && minute < 270) {
                events.add(EnrichedEvents.email(SHOP, "email.bounce", at, "gmail", "autumn", WireJson.MAPPER.createObjectNode().put("bounce_kind", "hard")));
                events.add(EnrichedEvents.email(SHOP, "email.bounce", at, "yahoo", "autumn", WireJson.MAPPER.createObjectNode().put("bounce_kind", "soft")));
            }
            if (minute >= 320 && minute < 325) {
                for (int i = 0; i < 10; i++) {
                    db.execute("INSERT INTO failed_events (failure_id, workspace_id, stage, reason, message, raw_payload, failed_at)"
                            + " VALUES (?, ?, 'validate', 'schema', 'no recipient', '{}', ?::timestamptz)", UUID.randomUUID(), SHOP, at.toString());
                }
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
    void aSplitTheReadModelDoesNotKeepIsCountedFromTheRawStoreToTheSameNumbers() {
        RulePreview.Preview byDomain = RulePreview.of(db, SHOP, read("""
                {"name": "by domain", "metric": "complaint_rate", "split_by": "recipient_domain", "window": "PT15M", "above": 0.003,
                 "min_volume": 20}"""), START, END);
        assertThat(byDomain.transitions()).extracting(AlertTransition::at, AlertTransition::labels, AlertTransition::to, AlertTransition::value)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(135)), Map.of("recipient_domain", "yahoo.com"), AlertState.FIRING,
                                java.util.Optional.of(15.0 / 60)),
                        tuple(START.plus(Duration.ofMinutes(165)), Map.of("recipient_domain", "yahoo.com"), AlertState.RESOLVED,
                                java.util.Optional.of(0.0)),
                        tuple(START.plus(Duration.ofMinutes(180)), Map.of("recipient_domain", "yahoo.com"), AlertState.NORMAL,
                                java.util.Optional.of(0.0)));
    }

    @Test
    void hardBouncesAreCountedByTheirKind() {
        assertThat(RulePreview.of(db, SHOP, read("""
                {"name": "hard", "metric": "hard_bounce_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.1,
                 "min_volume": 20}"""), START, END).transitions())
                .extracting(AlertTransition::at, AlertTransition::labels, AlertTransition::to, AlertTransition::value)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(255)), Map.of("mailbox_provider", "gmail"), AlertState.FIRING,
                                java.util.Optional.of(15.0 / 60)),
                        tuple(START.plus(Duration.ofMinutes(285)), Map.of("mailbox_provider", "gmail"), AlertState.RESOLVED,
                                java.util.Optional.of(0.0)),
                        tuple(START.plus(Duration.ofMinutes(300)), Map.of("mailbox_provider", "gmail"), AlertState.NORMAL,
                                java.util.Optional.of(0.0)));
    }

    @Test
    void aHostDownFiresItsOwnInstance() {
        assertThat(RulePreview.of(db, SHOP, read("""
                {"name": "smtp", "metric": "smtp_failures", "split_by": "host", "window": "PT5M", "above": 2}"""), START, END).transitions())
                .extracting(AlertTransition::at, AlertTransition::labels, AlertTransition::to)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(205)), Map.of("host", "mx1.example.com"), AlertState.FIRING),
                        tuple(START.plus(Duration.ofMinutes(210)), Map.of("host", "mx1.example.com"), AlertState.RESOLVED),
                        tuple(START.plus(Duration.ofMinutes(215)), Map.of("host", "mx1.example.com"), AlertState.NORMAL));
    }

    @Test
    void anAnomalyStandsOutOfItsOwnRecentHistory() {
        // sixty sends to each provider every 15 minutes, then 210 to Yahoo: far outside a band of no spread (previewed from
        // 03:00, so that every baseline is of windows with traffic: before it, none at all)
        RulePreview.Preview preview = RulePreview.of(db, SHOP, read("""
                {"name": "volume", "metric": "sent", "split_by": "mailbox_provider", "window": "PT15M",
                 "anomaly": {"direction": "up", "deviations": 4, "baseline_windows": 8}}"""), START.plus(Duration.ofHours(3)), END);
        assertThat(preview.transitions()).extracting(AlertTransition::at, AlertTransition::labels, AlertTransition::to)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(315)), Map.of("mailbox_provider", "yahoo"), AlertState.FIRING),
                        tuple(START.plus(Duration.ofMinutes(330)), Map.of("mailbox_provider", "yahoo"), AlertState.RESOLVED),
                        tuple(START.plus(Duration.ofMinutes(345)), Map.of("mailbox_provider", "yahoo"), AlertState.NORMAL));
        assertThat(preview.transitions().get(0).value().orElseThrow()).as("deviations: (210 - 60) ÷ √60").isCloseTo(150 / Math.sqrt(60),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void failedEventsAreAShareOfEverythingReceived() {
        // the window to 05:30 received 240 events stored and 50 failed
        assertThat(RulePreview.of(db, SHOP, read("""
                {"name": "failing", "metric": "failed_event_rate", "window": "PT15M", "above": 0.1}"""), START, END).transitions())
                .extracting(AlertTransition::at, AlertTransition::to, AlertTransition::value)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(330)), AlertState.FIRING, java.util.Optional.of(50.0 / 290)),
                        tuple(START.plus(Duration.ofMinutes(345)), AlertState.RESOLVED, java.util.Optional.of(0.0)),
                        tuple(START.plus(Duration.ofMinutes(360)), AlertState.NORMAL, java.util.Optional.of(0.0)));
    }

    @Test
    void thePipelinesLagIsTheLatestEventsNinetyFifthPercentile() {
        // every event here was received on the day it occurred and stored when the test ran: weeks late
        RulePreview.Preview preview = RulePreview.of(db, SHOP, read("""
                {"name": "lag", "metric": "pipeline_lag", "window": "PT1H", "above": 86400}"""), START, END);
        assertThat(preview.transitions()).extracting(AlertTransition::at, AlertTransition::to)
                .containsExactly(tuple(START.plus(Duration.ofHours(1)), AlertState.FIRING));
        assertThat(preview.firingAtTheEnd()).containsExactly(Map.of());
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
