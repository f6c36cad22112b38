package dev.mailpulse.storage.facts;

import static dev.mailpulse.storage.jooq.Tables.WORKSPACE_TRENDS;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACE_TREND_FITS;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A workspace's KPIs day by day over its last {@value #DAYS} processed days: each day's value, its 7- and 28-day
 * moving values, the change of the last 7 days against the 7 before, and a least-squares line through the daily
 * values with the 95% confidence interval of its slope, from which the trend is called rising, falling or flat.
 *
 * <p>A rate over a window is the ratio of the window's sums (a quiet day weighs less than a busy one), a count's is
 * its mean per day. A calendar day the ETL never processed had no events: its counts are 0. A moving value needs its
 * whole window inside the history, and a fit at least {@value #MIN_FIT_DAYS} days with a value.
 */
public final class Trends {

    public static final int DAYS = 180;
    public static final int MIN_FIT_DAYS = 7;

    /** What a trend follows: a rate (numerator over denominator) or, without a denominator, a count per day. */
    public record Series(String name, String numerator, String denominator) {

        public boolean isRate() {
            return denominator != null;
        }
    }

    /** Every rate KPI, then the volume sent and the conversions. */
    public static final List<Series> SERIES;

    static {
        List<Series> series = new ArrayList<>();
        for (Kpi kpi : Kpi.values()) {
            series.add(new Series(kpi.wireName(), kpi.numerator(), kpi.denominator()));
        }
        series.add(new Series("sent", "sent", null));
        series.add(new Series("conversions", "conversions", null));
        SERIES = List.copyOf(series);
    }

    /** A fitted line: {@code value ≈ intercept + slope × (day − firstDay)}. */
    public record Fit(LocalDate firstDay, LocalDate lastDay, int days, double slopePerDay, double slopeLow, double slopeHigh, double intercept,
                      Double rSquared, String direction) {
    }

    /** One day of a KPI's trend; values are empty where there was nothing to divide by or the window reaches before the history. */
    public record Point(String kpi, LocalDate day, Optional<Double> value, Optional<Double> average7d, Optional<Double> average28d,
                        Optional<Double> weekOverWeek) {
    }

    private final DSLContext db;

    public Trends(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The workspace's trend of one KPI (or of every one) from {@code from} to {@code to}, by KPI then day. */
    public List<Point> points(UUID workspaceId, Optional<String> kpi, LocalDate from, LocalDate to) {
        kpi.ifPresent(Trends::series);
        return db.selectFrom(WORKSPACE_TRENDS)
                .where(WORKSPACE_TRENDS.WORKSPACE_ID.eq(workspaceId), kpi.map(WORKSPACE_TRENDS.KPI::eq).orElse(DSL.noCondition()),
                        WORKSPACE_TRENDS.DAY.between(from, to))
                .orderBy(WORKSPACE_TRENDS.KPI, WORKSPACE_TRENDS.DAY)
                .fetch(r -> new Point(r.getKpi(), r.getDay(), Optional.ofNullable(r.getValue()), Optional.ofNullable(r.getAverage_7d()),
                        Optional.ofNullable(r.getAverage_28d()), Optional.ofNullable(r.getWeekOverWeek())));
    }

    /** The workspace's fitted trends, one per KPI with enough days, in the order of {@link #SERIES}. */
    public Map<String, Fit> fits(UUID workspaceId) {
        Map<String, Fit> fits = new LinkedHashMap<>();
        Map<String, Fit> found = new HashMap<>();
        db.selectFrom(WORKSPACE_TREND_FITS).where(WORKSPACE_TREND_FITS.WORKSPACE_ID.eq(workspaceId))
                .forEach(r -> found.put(r.getKpi(), new Fit(r.getFirstDay(), r.getLastDay(), r.getDays(), r.getSlopePerDay(), r.getSlopeLow(),
                        r.getSlopeHigh(), r.getIntercept(), r.getRSquared(), r.getDirection())));
        SERIES.stream().filter(s -> found.containsKey(s.name())).forEach(s -> fits.put(s.name(), found.get(s.name())));
        return fits;
    }

    /** The series named so, or a refusal naming the ones there are. */
    public static Series series(String name) {
        return SERIES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "kpi: one of " + SERIES.stream().map(Series::name).collect(Collectors.joining(", ")) + ", not " + name));
    }

    /** Recomputes the workspace's trends; returns the rows written. */
    public int recompute(UUID workspaceId) {
        db.execute("DELETE FROM workspace_trends WHERE workspace_id = ?", workspaceId);
        db.execute("DELETE FROM workspace_trend_fits WHERE workspace_id = ?", workspaceId);
        LocalDate last = db.fetchOne("SELECT max(day) FROM etl_days WHERE workspace_id = ?", workspaceId).get(0, LocalDate.class);
        if (last == null) {
            return 0;
        }
        LocalDate from = last.minusDays(DAYS + 27);
        Map<LocalDate, Map<String, Long>> counts = counts(workspaceId, from, last);
        LocalDate first = counts.keySet().stream().min(LocalDate::compareTo).orElse(last);
        int length = (int) ChronoUnit.DAYS.between(first, last) + 1;
        BatchBindStep rows = db.batch(db.query("""
                INSERT INTO workspace_trends (workspace_id, kpi, day, value, average_7d, average_28d, week_over_week)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", null, null, null, null, null, null, null));
        int written = 0;
        for (Series series : SERIES) {
            long[] numerators = new long[length];
            long[] denominators = new long[length];
            for (int i = 0; i < length; i++) {
                Map<String, Long> day = counts.getOrDefault(first.plusDays(i), Map.of());
                numerators[i] = day.getOrDefault(series.numerator(), 0L);
                denominators[i] = series.isRate() ? day.getOrDefault(series.denominator(), 0L) : 1;
            }
            List<LocalDate> fitDays = new ArrayList<>();
            List<Double> fitValues = new ArrayList<>();
            for (int i = Math.max(0, length - DAYS); i < length; i++) {
                Double value = window(series, numerators, denominators, i, 1);
                Double week = window(series, numerators, denominators, i, 7);
                Double before = window(series, numerators, denominators, i - 7, 7);
                rows.bind(workspaceId, series.name(), first.plusDays(i), value, week, window(series, numerators, denominators, i, 28),
                        week == null || before == null || before == 0 ? null : week / before - 1);
                written++;
                if (value != null) {
                    fitDays.add(first.plusDays(i));
                    fitValues.add(value);
                }
            }
            Optional<Fit> fit = fit(fitDays, fitValues);
            if (fit.isPresent()) {
                Fit line = fit.get();
                db.execute("""
                        INSERT INTO workspace_trend_fits (workspace_id, kpi, first_day, last_day, days, slope_per_day, slope_low, slope_high,
                            intercept, r_squared, direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", workspaceId, series.name(),
                        line.firstDay(), line.lastDay(), line.days(), line.slopePerDay(), line.slopeLow(), line.slopeHigh(), line.intercept(),
                        line.rSquared(), line.direction());
            }
        }
        if (written > 0) {
            rows.execute();
        }
        return written;
    }

    /** The value over the {@code days} days ending at index {@code end}; null before the history or with nothing to divide by. */
    private static Double window(Series series, long[] numerators, long[] denominators, int end, int days) {
        if (end - days + 1 < 0) {
            return null;
        }
        long numerator = 0;
        long denominator = 0;
        for (int i = end - days + 1; i <= end; i++) {
            numerator += numerators[i];
            denominator += denominators[i];
        }
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    /** The least-squares line through the points, with its slope's 95% interval; none with fewer than the minimum. */
    public static Optional<Fit> fit(List<LocalDate> days, List<Double> values) {
        int n = days.size();
        if (n < MIN_FIT_DAYS) {
            return Optional.empty();
        }
        LocalDate first = days.get(0);
        double meanX = 0;
        double meanY = 0;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = ChronoUnit.DAYS.between(first, days.get(i));
            meanX += x[i] / n;
            meanY += values.get(i) / n;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (values.get(i) - meanY);
            syy += (values.get(i) - meanY) * (values.get(i) - meanY);
        }
        double slope = sxy / sxx;
        double intercept = meanY - slope * meanX;
        double residuals = Math.max(0, syy - slope * sxy);
        double standardError = Math.sqrt(residuals / (n - 2) / sxx);
        double margin = studentT975(n - 2) * standardError;
        // a constant series' slope is rounding, not a trend
        double negligible = 1e-9 * Math.max(Math.abs(meanY), Double.MIN_NORMAL);
        String direction = slope - margin > negligible ? "rising" : slope + margin < -negligible ? "falling" : "flat";
        return Optional.of(new Fit(first, days.get(n - 1), n, slope, slope - margin, slope + margin, intercept,
                syy == 0 ? null : 1 - residuals / syy, direction));
    }

    /** Student's t's 97.5th percentiles for 1 to 30 degrees of freedom, from the tables. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
            2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * The 97.5th percentile of Student's t with {@code df} degrees of freedom: from the tables up to 30, beyond by the
     * Cornish-Fisher expansion around the normal's 1.95996 (within 0.0002 of the tables there).
     */
    static double studentT975(int df) {
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959963984540054;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }

    /** The campaigns' counts and the conversions per processed day. */
    private Map<LocalDate, Map<String, Long>> counts(UUID workspaceId, LocalDate from, LocalDate to) {
        Map<LocalDate, Map<String, Long>> counts = new HashMap<>();
        db.fetch("""
                SELECT d.day, k.sent, k.delivered, k.bounced, k.complaints, k.unsubscribes, k.replies, k.unique_human_openers, k.unique_clickers,
                       k.unique_human_clickers, a.conversions
                FROM etl_days d
                LEFT JOIN (SELECT day, sum(sent) AS sent, sum(delivered) AS delivered, sum(bounced) AS bounced, sum(complaints) AS complaints,
                                  sum(unsubscribes) AS unsubscribes, sum(replies) AS replies, sum(unique_human_openers) AS unique_human_openers,
                                  sum(unique_clickers) AS unique_clickers, sum(unique_human_clickers) AS unique_human_clickers
                           FROM campaign_daily_kpis WHERE workspace_id = {0} AND day BETWEEN {1} AND {2} GROUP BY day) k ON k.day = d.day
                LEFT JOIN (SELECT day, sum(conversions) AS conversions FROM daily_attribution
                           WHERE workspace_id = {0} AND day BETWEEN {1} AND {2} GROUP BY day) a ON a.day = d.day
                WHERE d.workspace_id = {0} AND d.day BETWEEN {1} AND {2}""", workspaceId, from, to).forEach(r -> {
            Map<String, Long> day = new HashMap<>();
            for (int i = 1; i < r.size(); i++) {
                Long value = r.get(i, Long.class);
                day.put(r.field(i).getName(), value == null ? 0 : value);
            }
            counts.put(r.get(0, LocalDate.class), day);
        });
        return counts;
    }
}
