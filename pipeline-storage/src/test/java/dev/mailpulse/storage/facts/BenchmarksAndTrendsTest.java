package dev.mailpulse.storage.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;

/**
 * Benchmarks and trends on KPIs planted so that the answer is known: percentile ranks by their definition, with ties
 * and a KPI where lower is better, campaigns too small or too old left out; an industry of four workspaces publishes
 * nothing, of five its pooled and mean rates; a rate rising by a fixed step each day is called rising with its exact
 * slope, a constant one flat, a step in volume gives its week-over-week change and moving averages.
 */
class BenchmarksAndTrendsTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final LocalDate LAST = LocalDate.parse("2026-11-30");
    private static DSLContext db;

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE etl_days, campaign_lifetime_kpis, campaign_daily_kpis, daily_attribution, campaign_benchmarks, industry_benchmarks, "
                + "workspace_benchmarks, workspace_trends, workspace_trend_fits");
        db.execute("DELETE FROM workspaces");
    }

    @Test
    void campaignsRankByTheirPercentileAmongTheWorkspacesRecentCampaigns() {
        UUID shop = workspace("shop", null);
        processed(shop, LAST);
        // sent, delivered, complaints, human clickers
        campaign(shop, "best", LAST, 1_000, 1_000, 1, 50);
        campaign(shop, "tied-a", LAST.minusDays(10), 1_000, 1_000, 2, 30);
        campaign(shop, "tied-b", LAST.minusDays(20), 1_000, 1_000, 2, 40);
        campaign(shop, "worst", LAST.minusDays(89), 1_000, 1_000, 4, 10);
        campaign(shop, "too-small", LAST, 99, 99, 0, 99);
        campaign(shop, "too-old", LAST.minusDays(90), 1_000, 1_000, 0, 500);
        new Benchmarks(db).rankCampaigns(shop);

        assertThat(ranks(shop, "complaint_rate")).as("lower is better; ties share their rank")
                .isEqualTo(Map.of("best", 87.5, "tied-a", 50.0, "tied-b", 50.0, "worst", 12.5));
        assertThat(ranks(shop, "human_click_rate")).isEqualTo(Map.of("best", 87.5, "tied-b", 62.5, "tied-a", 37.5, "worst", 12.5));
        assertThat(db.fetchValue("SELECT DISTINCT campaigns FROM campaign_benchmarks WHERE workspace_id = ?", shop)).isEqualTo(4);
    }

    @Test
    void anIndustryOfFourWorkspacesPublishesNothingAndOfFiveItsPooledAndMeanRates() {
        double[] complaints = {1, 2, 3, 4, 10};
        for (int w = 0; w < 4; w++) {
            UUID id = workspace("retail-" + w, "retail");
            processed(id, LAST);
            campaign(id, "c", LAST, 1_000, 1_000 * (w + 1), (long) complaints[w] * (w + 1), 10);
        }
        UUID other = workspace("bank", "finance");
        processed(other, LAST);
        campaign(other, "c", LAST, 1_000, 1_000, 1, 10);
        new Benchmarks(db).compareIndustries();
        assertThat(db.fetchCount(db.selectFrom("industry_benchmarks"))).as("four workspaces share retail, one finance").isZero();
        assertThat(db.fetchValues("SELECT DISTINCT percentile FROM workspace_benchmarks")).as("no rank among too few").containsOnlyNulls();
        assertThat(value(Double.class, "SELECT value FROM workspace_benchmarks w JOIN workspaces USING (workspace_id) "
                + "WHERE name = 'retail-1' AND kpi = 'complaint_rate'")).as("a workspace's own rate").isEqualTo(0.002);

        UUID fifth = workspace("retail-4", "retail");
        processed(fifth, LAST);
        campaign(fifth, "c", LAST, 1_000, 5_000, 50, 10);
        new Benchmarks(db).compareIndustries();
        // 1,000 + 2,000 + ... + 5,000 delivered; 1 + 4 + 9 + 16 + 50 complaints
        assertThat(value(Double.class, "SELECT pooled FROM industry_benchmarks WHERE industry = 'retail' AND kpi = 'complaint_rate'"))
                .isCloseTo(80.0 / 15_000, within(1e-12));
        assertThat(value(Double.class, "SELECT mean FROM industry_benchmarks WHERE industry = 'retail' AND kpi = 'complaint_rate'"))
                .isCloseTo((0.001 + 0.002 + 0.003 + 0.004 + 0.010) / 5, within(1e-12));
        assertThat(db.fetchValue("SELECT workspaces FROM industry_benchmarks WHERE industry = 'retail' AND kpi = 'complaint_rate'")).isEqualTo(5);
        assertThat(db.fetchValue("SELECT count(*) FROM industry_benchmarks WHERE industry = 'finance'")).isEqualTo(0L);
        assertThat(value(Double.class, "SELECT percentile FROM workspace_benchmarks w JOIN workspaces USING (workspace_id) "
                + "WHERE name = 'retail-0' AND kpi = 'complaint_rate'")).as("the fewest complaints of five").isEqualTo(90.0);
    }

    @Test
    void aSteadyRiseIsRisingAConstantIsFlatAndAStepInVolumeShowsWeekOverWeek() {
        UUID shop = workspace("shop", null);
        LocalDate first = LAST.minusDays(39);
        for (int i = 0; i < 40; i++) {
            LocalDate day = first.plusDays(i);
            processed(shop, day);
            // human click rate 2% + 0.1 point a day; complaint rate 0.1% every day; 100 sent a day, 150 from the 31st day on
            db.execute("""
                    INSERT INTO campaign_daily_kpis (workspace_id, campaign_id, day, sent, delivered, bounced, complaints, unsubscribes, replies,
                        unique_human_openers, unique_clickers, unique_human_clickers)
                    VALUES (?, 'c', ?, ?, 1000, 0, 1, 0, 0, 500, 0, ?)""", shop, day, i < 30 ? 100 : 150, 20 + i);
        }
        new Trends(db).recompute(shop);

        Map<String, Object> rising = db.fetchOne("SELECT * FROM workspace_trend_fits WHERE workspace_id = ? AND kpi = 'human_click_rate'", shop)
                .intoMap();
        assertThat((Double) rising.get("slope_per_day")).isCloseTo(0.001, within(1e-12));
        assertThat((Double) rising.get("intercept")).isCloseTo(0.02, within(1e-12));
        assertThat((Double) rising.get("r_squared")).isCloseTo(1.0, within(1e-9));
        assertThat(rising.get("direction")).isEqualTo("rising");
        assertThat(rising.get("days")).isEqualTo(40);
        assertThat(db.fetchValue("SELECT direction FROM workspace_trend_fits WHERE workspace_id = ? AND kpi = 'complaint_rate'", shop))
                .isEqualTo("flat");

        Map<String, Object> step = db.fetchOne("SELECT * FROM workspace_trends WHERE workspace_id = ? AND kpi = 'sent' AND day = ?", shop,
                first.plusDays(36)).intoMap();
        assertThat(step.get("value")).isEqualTo(150.0);
        assertThat(step.get("average_7d")).isEqualTo(150.0);
        assertThat(step.get("average_28d")).as("21 days of 100, 7 of 150").isEqualTo(112.5);
        assertThat(step.get("week_over_week")).isEqualTo(0.5);
        assertThat(db.fetchValue("SELECT average_7d FROM workspace_trends WHERE workspace_id = ? AND kpi = 'sent' AND day = ?", shop,
                first.plusDays(5))).as("a window reaching before the history").isNull();
        assertThat(value(Double.class, "SELECT average_7d FROM workspace_trends WHERE workspace_id = ? AND kpi = 'human_click_rate' AND day = ?",
                shop, first.plusDays(6))).as("a rate's window: its sums' ratio").isCloseTo((20 + 21 + 22 + 23 + 24 + 25 + 26) / 7000.0,
                within(1e-12));
    }

    @Test
    void theStudentQuantileMatchesTheTables() {
        assertThat(Trends.studentT975(5)).isCloseTo(2.5706, within(0.001));
        assertThat(Trends.studentT975(10)).isCloseTo(2.2281, within(0.001));
        assertThat(Trends.studentT975(30)).isCloseTo(2.0423, within(0.001));
        assertThat(Trends.studentT975(178)).isCloseTo(1.9734, within(0.001));
    }

    private static <T> T value(Class<T> type, String sql, Object... bindings) {
        return db.fetchOne(sql, bindings).get(0, type);
    }

    private static UUID workspace(String name, String industry) {
        UUID id = UUID.randomUUID();
        db.execute("INSERT INTO workspaces (workspace_id, name, industry) VALUES (?, ?, ?)", id, name, industry);
        return id;
    }

    private static void processed(UUID workspace, LocalDate day) {
        db.execute("""
                INSERT INTO etl_days (workspace_id, day, time_zone, day_start, day_end, processed_at, events, reason)
                VALUES (?, ?, 'UTC', ?::date, ?::date + 1, now(), 0, 'first')""", workspace, day, day, day);
    }

    private static void campaign(UUID workspace, String campaign, LocalDate lastDay, long sent, long delivered, long complaints, long humanClickers) {
        db.execute("""
                INSERT INTO campaign_lifetime_kpis (workspace_id, campaign_id, first_day, last_day, sent, delivered, bounced, complaints, unsubscribes,
                    replies, unique_human_openers, unique_clickers, unique_human_clickers, %s)
                SELECT ?, ?, ?::date - 1, ?::date, sent, delivered, bounced, complaints, unsubscribes, replies, unique_human_openers, unique_clickers,
                       unique_human_clickers, %s
                FROM (VALUES (?::bigint, ?::bigint, 0::bigint, ?::bigint, 0::bigint, 0::bigint, 100::bigint, ?::bigint, ?::bigint))
                    AS v(sent, delivered, bounced, complaints, unsubscribes, replies, unique_human_openers, unique_clickers, unique_human_clickers)"""
                .formatted(Kpis.RATE_COLUMNS, Kpis.RATES), workspace, campaign, lastDay, lastDay, sent, delivered, complaints, humanClickers,
                humanClickers);
    }

    private static Map<String, Double> ranks(UUID workspace, String kpi) {
        Map<String, Double> ranks = new TreeMap<>();
        db.fetch("SELECT campaign_id, percentile FROM campaign_benchmarks WHERE workspace_id = ? AND kpi = ?", workspace, kpi)
                .forEach(r -> ranks.put(r.get(0, String.class), r.get(1, Double.class)));
        return ranks;
    }
}
