package dev.mailpulse.storage.facts;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_BENCHMARKS;
import static dev.mailpulse.storage.jooq.Tables.INDUSTRY_BENCHMARKS;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACE_BENCHMARKS;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jooq.DSLContext;

/**
 * Benchmarks from the campaigns' lifetime KPIs over the 90 days up to each workspace's latest processed day,
 * counting the campaigns of at least {@value #MIN_SENT} messages (a smaller one's rates are noise):
 * <ul>
 * <li>each campaign's percentile rank on each KPI among the workspace's campaigns: 100 × (B + E / 2) / N, where B
 * campaigns did worse, E as well (itself included), of N ranked; higher is better, so that a lower complaint rate
 * ranks higher;</li>
 * <li>each workspace's own rates (its campaigns pooled) and, for an industry of at least {@value #MIN_WORKSPACES}
 * workspaces with a value, the industry's pooled rate and the mean of its workspaces' rates, and each workspace's
 * percentile rank among them. Fewer workspaces publish nothing: a figure of two or three would tell a workspace its
 * peers' numbers.</li>
 * </ul>
 */
public final class Benchmarks {

    public static final int DAYS = 90;
    public static final int MIN_SENT = 100;
    public static final int MIN_WORKSPACES = 5;

    /** A campaign's rank on one KPI among the {@code campaigns} ranked, as of the workspace's latest processed day. */
    public record Rank(Kpi kpi, double value, double percentile, int campaigns, LocalDate asOf) {
    }

    /**
     * A workspace's own rate on one KPI, and where its industry publishes a comparison: the industry's pooled and mean
     * rates, how many workspaces it holds, and this one's percentile rank among them.
     */
    public record Standing(Kpi kpi, double value, LocalDate asOf, Optional<String> industry, Optional<Double> industryPooled,
                           Optional<Double> industryMean, Optional<Integer> industryWorkspaces, Optional<Double> percentile) {
    }

    private final DSLContext db;

    public Benchmarks(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The campaign's ranks, in the order of the KPIs; none when it was not ranked (too small, too old, or not processed yet). */
    public List<Rank> ranks(UUID workspaceId, String campaignId) {
        List<Rank> ranks = new ArrayList<>();
        db.selectFrom(CAMPAIGN_BENCHMARKS).where(CAMPAIGN_BENCHMARKS.WORKSPACE_ID.eq(workspaceId), CAMPAIGN_BENCHMARKS.CAMPAIGN_ID.eq(campaignId))
                .forEach(r -> ranks.add(new Rank(Kpi.of(r.getKpi()), r.getValue(), r.getPercentile(), r.getCampaigns(), r.getAsOf())));
        ranks.sort(Comparator.comparing(Rank::kpi));
        return ranks;
    }

    /** The workspace's standing on each KPI, in the order of the KPIs. */
    public List<Standing> standing(UUID workspaceId) {
        List<Standing> standing = new ArrayList<>();
        db.select(WORKSPACE_BENCHMARKS.KPI, WORKSPACE_BENCHMARKS.VALUE, WORKSPACE_BENCHMARKS.AS_OF, WORKSPACE_BENCHMARKS.INDUSTRY,
                        INDUSTRY_BENCHMARKS.POOLED, INDUSTRY_BENCHMARKS.MEAN, INDUSTRY_BENCHMARKS.WORKSPACES, WORKSPACE_BENCHMARKS.PERCENTILE)
                .from(WORKSPACE_BENCHMARKS).leftJoin(INDUSTRY_BENCHMARKS)
                .on(INDUSTRY_BENCHMARKS.INDUSTRY.eq(WORKSPACE_BENCHMARKS.INDUSTRY), INDUSTRY_BENCHMARKS.KPI.eq(WORKSPACE_BENCHMARKS.KPI))
                .where(WORKSPACE_BENCHMARKS.WORKSPACE_ID.eq(workspaceId))
                .forEach(r -> standing.add(new Standing(Kpi.of(r.value1()), r.value2(), r.value3(), Optional.ofNullable(r.value4()),
                        Optional.ofNullable(r.value5()), Optional.ofNullable(r.value6()), Optional.ofNullable(r.value7()), Optional.ofNullable(r.value8()))));
        standing.sort(Comparator.comparing(Standing::kpi));
        return standing;
    }

    /** The workspace's campaign ranks, recomputed; returns the rows written. */
    public int rankCampaigns(UUID workspaceId) {
        db.execute("DELETE FROM campaign_benchmarks WHERE workspace_id = ?", workspaceId);
        return db.execute("""
                INSERT INTO campaign_benchmarks (workspace_id, campaign_id, kpi, value, percentile, campaigns, as_of)
                WITH %s,
                scored AS (
                    SELECT v.*, CASE WHEN v.higher_is_better THEN v.value ELSE -v.value END AS score
                    FROM recent r CROSS JOIN LATERAL (VALUES %s) AS v(campaign_id, kpi, value, higher_is_better)
                    WHERE v.value IS NOT NULL)
                SELECT ?, campaign_id, kpi, value,
                       100.0 * ((rank() OVER w - 1) + 0.5 * count(*) OVER (PARTITION BY kpi, score)) / count(*) OVER (PARTITION BY kpi),
                       count(*) OVER (PARTITION BY kpi), as_of
                FROM scored, as_of
                WINDOW w AS (PARTITION BY kpi ORDER BY score)""".formatted(RECENT, values("r.campaign_id", "r.")), workspaceId, workspaceId, workspaceId);
    }

    /** Every workspace's own rates and every industry's comparison, recomputed; returns the industry rows written. */
    public int compareIndustries() {
        db.execute("DELETE FROM workspace_benchmarks");
        db.execute("DELETE FROM industry_benchmarks");
        int industries = db.execute("""
                INSERT INTO industry_benchmarks (industry, kpi, workspaces, pooled, mean, as_of)
                WITH %s
                SELECT industry, kpi, count(*), sum(numerator)::float8 / sum(denominator), avg(value), max(as_of)
                FROM workspace_rates WHERE industry IS NOT NULL
                GROUP BY industry, kpi HAVING count(*) >= %d""".formatted(WORKSPACE_RATES, MIN_WORKSPACES));
        db.execute("""
                INSERT INTO workspace_benchmarks (workspace_id, kpi, value, industry, percentile, as_of)
                WITH %1$s
                SELECT r.workspace_id, r.kpi, r.value, i.industry,
                       CASE WHEN i.industry IS NOT NULL THEN
                           100.0 * ((SELECT count(*) FROM workspace_rates o WHERE o.industry = r.industry AND o.kpi = r.kpi
                                       AND CASE WHEN %2$s THEN o.value < r.value ELSE o.value > r.value END)
                                    + 0.5 * (SELECT count(*) FROM workspace_rates o WHERE o.industry = r.industry AND o.kpi = r.kpi AND o.value = r.value))
                           / i.workspaces END,
                       r.as_of
                FROM workspace_rates r LEFT JOIN industry_benchmarks i ON i.industry = r.industry AND i.kpi = r.kpi"""
                .formatted(WORKSPACE_RATES, HIGHER_IS_BETTER_OF_R));
        return industries;
    }

    /** The common tables {@code as_of} (the workspace's latest processed day) and {@code recent} (its ranked campaigns). */
    private static final String RECENT = """
            as_of AS (SELECT max(day) AS as_of FROM etl_days WHERE workspace_id = ?),
            recent AS (SELECT k.* FROM campaign_lifetime_kpis k, as_of
                       WHERE k.workspace_id = ? AND k.last_day > as_of.as_of - %d AND k.sent >= %d)"""
            .formatted(DAYS, MIN_SENT);

    /** The common table {@code workspace_rates}: each workspace's KPIs, its recent campaigns pooled, with its industry. */
    private static final String WORKSPACE_RATES = """
            latest AS (SELECT workspace_id, max(day) AS day FROM etl_days GROUP BY workspace_id),
            totals AS (
                SELECT k.workspace_id, w.industry, l.day AS as_of, %s
                FROM campaign_lifetime_kpis k JOIN latest l ON l.workspace_id = k.workspace_id
                JOIN workspaces w ON w.workspace_id = k.workspace_id
                WHERE k.last_day > l.day - %d AND k.sent >= %d
                GROUP BY k.workspace_id, w.industry, l.day),
            workspace_rates AS (
                SELECT t.workspace_id, t.industry, t.as_of, v.kpi, v.numerator, v.denominator, v.numerator::float8 / v.denominator AS value
                FROM totals t CROSS JOIN LATERAL (VALUES %s) AS v(kpi, numerator, denominator)
                WHERE v.denominator > 0)""".formatted(sums(), DAYS, MIN_SENT, fractions("t."));

    /** The count columns every KPI needs, summed. */
    private static String sums() {
        return Arrays.stream(Kpi.values()).flatMap(k -> Stream.of(k.numerator(), k.denominator())).distinct()
                .map(c -> "sum(k." + c + ") AS " + c).collect(Collectors.joining(", "));
    }

    /** Whether the KPI named in {@code r.kpi} is better higher, as SQL. */
    private static final String HIGHER_IS_BETTER_OF_R = "r.kpi IN (" + Arrays.stream(Kpi.values()).filter(Kpi::higherIsBetter)
            .map(k -> "'" + k.wireName() + "'").collect(Collectors.joining(", ")) + ")";

    /** A VALUES list of (key, kpi, rate, higher is better) rows, one per KPI, of a row with the KPI tables' columns. */
    private static String values(String key, String prefix) {
        return Arrays.stream(Kpi.values()).map(k -> "(" + key + ", '" + k.wireName() + "', " + prefix + k.wireName() + ", " + k.higherIsBetter() + ")")
                .collect(Collectors.joining(", "));
    }

    /** A VALUES list of (kpi, numerator, denominator) rows, one per KPI, of a row with the KPI tables' count columns. */
    private static String fractions(String prefix) {
        return Arrays.stream(Kpi.values()).map(k -> "('" + k.wireName() + "', " + prefix + k.numerator() + ", " + prefix + k.denominator() + ")")
                .collect(Collectors.joining(", "));
    }
}
