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
    private static MetricStore store;

    @BeforeAll
    static void store() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        store = new MetricStore(db, "batch_");
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
        db.execute("INSERT INTO campaigns (workspace_id, campaign_id, tags) VALUES (?, 'autumn', '{seasonal,newsletter}')", SHOP);
        // the daily ETL's job repository, as Spring Batch keeps it (the columns read): a run for every workspace completed
        // at 01:10, one for this workspace failed at 03:10, one for another workspace completed at 05:10
        db.execute("""
                CREATE TABLE batch_job_instance (job_instance_id bigint PRIMARY KEY, job_name varchar(100) NOT NULL);
                CREATE TABLE batch_job_execution (job_execution_id bigint PRIMARY KEY, job_instance_id bigint NOT NULL, status varchar(10),
                                                  end_time timestamp);
                CREATE TABLE batch_job_execution_params (job_execution_id bigint NOT NULL, parameter_name varchar(100) NOT NULL,
                                                         parameter_value varchar(2500));
                INSERT INTO batch_job_instance VALUES (1, 'dailyEtl'), (2, 'dailyEtl'), (3, 'dailyEtl');""");
        Object[][] runs = {{1, "COMPLETED", 70, ""}, {2, "FAILED", 190, "preview-shop"}, {3, "COMPLETED", 310, "another-shop"}};
        for (Object[] run : runs) {
            db.execute("INSERT INTO batch_job_execution VALUES (?, ?, ?, ?)", run[0], run[0], run[1],
                    java.time.LocalDateTime.ofInstant(START.plus(Duration.ofMinutes((int) run[2])), java.time.ZoneId.systemDefault()));
            db.execute("INSERT INTO batch_job_execution_params VALUES (?, 'workspace', ?)", run[0], run[3]);
        }
    }

    @Test
    void firesTheSpikingProvidersInstanceOnly() {
        RulePreview.Preview preview = RulePreview.of(store, SHOP, rule(20, 1), START, END);
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
        assertThat(RulePreview.of(store, SHOP, rule(20, 3), START, END).transitions())
                .extracting(AlertTransition::to).containsExactly(AlertState.PENDING, AlertState.NORMAL);
        assertThat(RulePreview.of(store, SHOP, rule(20, 2), START, END).transitions())
                .extracting(AlertTransition::to).containsExactly(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED, AlertState.NORMAL);
    }

    @Test
    void belowTheMinimumVolumeNothingIsJudged() {
        assertThat(RulePreview.of(store, SHOP, rule(61, 1), START, END).transitions()).isEmpty();
    }

    @Test
    void aSplitTheReadModelDoesNotKeepIsCountedFromTheRawStoreToTheSameNumbers() {
        RulePreview.Preview byDomain = RulePreview.of(store, SHOP, read("""
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
    void aRuleOnATagJudgesTheCampaignsCarryingIt() {
        String onTag = """
                {"name": "seasonal", "metric": "complaint_rate", "tag": "%s", "split_by": "mailbox_provider", "window": "PT15M",
                 "above": 0.003, "min_volume": 20}""";
        assertThat(RulePreview.of(store, SHOP, read(onTag.formatted("seasonal")), START, END).transitions()).extracting(AlertTransition::to)
                .containsExactly(AlertState.FIRING, AlertState.RESOLVED, AlertState.NORMAL);
        assertThat(RulePreview.of(store, SHOP, read(onTag.formatted("transactional")), START, END).transitions()).isEmpty();
    }

    @Test
    void theNightlyJobsRunsAreReadFromItsJobRepository() {
        assertThat(RulePreview.of(store, SHOP, read("""
                {"name": "failed", "metric": "nightly_job_failures", "window": "PT1H", "above": 0, "no_data": "resolve"}"""), START, END)
                .transitions()).extracting(AlertTransition::at, AlertTransition::to)
                .containsExactly(tuple(START.plus(Duration.ofHours(4)), AlertState.FIRING), tuple(START.plus(Duration.ofHours(5)), AlertState.RESOLVED),
                        tuple(START.plus(Duration.ofHours(6)), AlertState.NORMAL));
        // the run for another workspace does not count: this one's last completed at 01:10
        assertThat(RulePreview.of(store, SHOP, read("""
                {"name": "late", "metric": "hours_since_nightly_job", "window": "PT1H", "above": 2}"""), START, END)
                .transitions()).extracting(AlertTransition::at, AlertTransition::to, AlertTransition::value)
                .containsExactly(tuple(START.plus(Duration.ofHours(1)), AlertState.NODATA, java.util.Optional.empty()),
                        tuple(START.plus(Duration.ofHours(2)), AlertState.NORMAL, java.util.Optional.of(50.0 / 60)),
                        tuple(START.plus(Duration.ofHours(4)), AlertState.FIRING, java.util.Optional.of(170.0 / 60)));
    }

    @Test
    void hardBouncesAreCountedByTheirKind() {
        assertThat(RulePreview.of(store, SHOP, read("""
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
        assertThat(RulePreview.of(store, SHOP, read("""
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
        RulePreview.Preview preview = RulePreview.of(store, SHOP, read("""
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
        assertThat(RulePreview.of(store, SHOP, read("""
                {"name": "failing", "metric": "failed_event_rate", "window": "PT15M", "above": 0.1}"""), START, END).transitions())
                .extracting(AlertTransition::at, AlertTransition::to, AlertTransition::value)
                .containsExactly(tuple(START.plus(Duration.ofMinutes(330)), AlertState.FIRING, java.util.Optional.of(50.0 / 290)),
                        tuple(START.plus(Duration.ofMinutes(345)), AlertState.RESOLVED, java.util.Optional.of(0.0)),
                        tuple(START.plus(Duration.ofMinutes(360)), AlertState.NORMAL, java.util.Optional.of(0.0)));
    }

    @Test
    void thePipelinesLagIsTheLatestEventsNinetyFifthPercentile() {
        // every event here was received on the day it occurred and stored when the test ran: weeks late
        RulePreview.Preview preview = RulePreview.of(store, SHOP, read("""
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
