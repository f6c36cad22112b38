package dev.mailpulse.alerting;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

import dev.mailpulse.alerting.AlertRule.Anomaly;
import dev.mailpulse.alerting.AlertRule.Change;
import dev.mailpulse.alerting.Judgement.Observation;
import dev.mailpulse.storage.facts.EtlRuns;

/**
 * A rule's metric over windows of the rule's length, for each value of its split: what the value counts and its
 * volume (a rate's basis) in each window, and the observation judged from them. What the preview and the evaluator
 * both judge, so that a rule previewed fires as it will live. Counts by event type come from the read model's minute
 * or hour buckets; unique recipients, bounce kinds, deferred messages, the infrastructure's reports, splits the read
 * model does not keep (recipient domain, host) from the raw store's indexes; failures from the failed events; the
 * nightly job's runs from its job repository.
 */
final class MetricWindows {

    /** The windows' totals of one instance: what the value counts ({@code [0][i]}) and its volume ({@code [1][i]}). */
    private static final int COUNTED = 0;
    private static final int VOLUME = 1;

    private MetricWindows() {
    }

    /**
     * Per instance (the split's value as a label, none without a split), the totals of {@code n} windows of the rule's
     * length ending at {@code firstEnd}, {@code firstEnd + step}, and so on.
     */
    static Map<Map<String, String>, long[][]> totals(MetricStore store, UUID workspaceId, AlertRule rule, Duration step, Instant firstEnd, int n) {
        Map<Map<String, String>, long[][]> series = new TreeMap<>(Comparator.comparing(Map::toString));
        Metric metric = rule.metric();
        add(series, store, workspaceId, rule, metric.counted(), step, firstEnd, n, COUNTED);
        if (metric.volume() == metric.counted()) {
            series.values().forEach(totals -> totals[VOLUME] = totals[COUNTED].clone());
        } else {
            add(series, store, workspaceId, rule, metric.volume(), step, firstEnd, n, VOLUME);
        }
        if (series.isEmpty() && rule.splitBy().isEmpty()) {
            series.put(Map.of(), new long[2][n]);
        }
        return series;
    }

    private static void add(Map<Map<String, String>, long[][]> series, MetricStore store, UUID workspaceId, AlertRule rule, Metric.Count count,
                            Duration step, Instant firstEnd, int n, int row) {
        if (count instanceof Metric.Sum sum) {
            sum.counts().forEach(part -> add(series, store, workspaceId, rule, part, step, firstEnd, n, row));
            return;
        }
        query(store, workspaceId, rule, count, step, firstEnd, n).forEach(r -> {
            String split = r.get(1, String.class);
            Map<String, String> labels = rule.splitBy().map(s -> Map.of(s.wireName(), split)).orElse(Map.of());
            series.computeIfAbsent(labels, l -> new long[2][n])[row][r.get(0, Integer.class)] += r.get(2, Long.class) == null ? 0 : r.get(2, Long.class);
        });
    }

    /** Whether any of the rule's counts is read from the raw store rather than the read model's counts by type. */
    static boolean readsRawStore(AlertRule rule) {
        return fromRawStore(rule, rule.metric().counted()) || fromRawStore(rule, rule.metric().volume());
    }

    private static boolean fromRawStore(AlertRule rule, Metric.Count count) {
        if (count instanceof Metric.Sum sum) {
            return sum.counts().stream().anyMatch(part -> fromRawStore(rule, part));
        }
        return !(count instanceof Metric.Events) || rule.splitBy().filter(s -> !s.inReadModel()).isPresent();
    }

    /**
     * One statement for all windows: window {@code i} ends at {@code firstEnd + i·step}. The workspace, the first end,
     * the campaign and the tag are bound; the types are written as constants so that the planner can match the raw
     * store's partial indexes; the rest is the metric's own SQL and whole seconds, never a user's text.
     */
    private static ResultQuery<Record> query(MetricStore store, UUID workspaceId, AlertRule rule, Metric.Count count, Duration step, Instant firstEnd,
                                             int n) {
        DSLContext db = store.db();
        Optional<Metric.Split> split = rule.splitBy();
        boolean raw = fromRawStore(rule, count);
        String time = count instanceof Metric.Failed ? "e.failed_at" : raw ? "e.occurred_at" : "e.bucket";
        String end = "({1}::timestamptz + w.i * interval '" + step.toSeconds() + " seconds')";
        String inWindow = " AND " + time + " >= (" + end + " - interval '" + rule.window().toSeconds() + " seconds') AND " + time + " < " + end;
        String scope = "e.workspace_id = {0}" + inWindow + (rule.campaignId().isPresent() ? " AND e.campaign_id = {2}" : "")
                + (rule.tag().isPresent() ? " AND e.campaign_id IN (SELECT c.campaign_id FROM campaigns c WHERE c.workspace_id = {0}"
                        + " AND {3} = ANY (c.tags))" : "");
        String windows = " FROM generate_series(0, " + (n - 1) + ") AS w(i)";
        String sql;
        if (count instanceof Metric.Failed) {
            sql = "SELECT w.i, '' AS split, count(e.failure_id)" + windows + " JOIN failed_events e ON " + scope + " GROUP BY w.i";
        } else if (count instanceof Metric.NightlyRuns nightly) {
            EtlRuns runs = new EtlRuns(db, store.batchTablePrefix());
            if (!runs.repositoryExists()) {
                return db.resultQuery("SELECT 0 AS i, '' AS split, NULL::bigint WHERE false"); // the ETL never ran here
            }
            String of = runs.runsOf("(SELECT name FROM workspaces WHERE workspace_id = {0})");
            String start = "(" + end + " - interval '" + rule.window().toSeconds() + " seconds')";
            sql = switch (nightly.measure()) {
                case FAILED -> "SELECT w.i, '' AS split, count(r.job_execution_id)" + windows + " LEFT JOIN " + of
                        + " r ON r.status = 'FAILED' AND r.ended_at >= " + start + " AND r.ended_at < " + end + " GROUP BY w.i";
                case COMPLETED -> "SELECT w.i, '' AS split, (SELECT count(*) FROM " + of + " r WHERE r.status = 'COMPLETED' AND r.ended_at < "
                        + end + ")" + windows;
                case SECONDS_SINCE_COMPLETED -> "SELECT w.i, '' AS split, (SELECT extract(epoch FROM " + end + " - max(r.ended_at))::bigint FROM "
                        + of + " r WHERE r.status = 'COMPLETED' AND r.ended_at < " + end + ")" + windows;
            };
        } else if (count instanceof Metric.Lag) {
            sql = "SELECT w.i, '' AS split, (SELECT round(percentile_cont(0.95) WITHIN GROUP (ORDER BY lag))::bigint FROM (SELECT"
                    + " extract(epoch FROM e.stored_at - e.received_at) * 1000 AS lag FROM events e WHERE " + scope
                    + " ORDER BY e.occurred_at DESC LIMIT " + Metric.Lag.SAMPLE + ") latest)" + windows;
        } else {
            Set<String> types = count instanceof Metric.Raw r ? r.types() : ((Metric.Events) count).types();
            String ofTypes = types.isEmpty() ? ""
                    : " AND e.event_type IN (" + String.join(", ", types.stream().sorted().map(t -> DSL.inline(t).toString()).toList()) + ")";
            String value = split.map(s -> s.column).orElse("''");
            String known = split.isPresent() ? " AND " + value + " IS NOT NULL" : "";
            String aggregate = count instanceof Metric.Raw r ? r.aggregate() : raw ? "count(*)" : "sum(e.event_count)::bigint";
            String condition = count instanceof Metric.Raw r && !r.condition().isEmpty() ? " AND " + r.condition() : "";
            boolean hours = rule.window().toSeconds() % 3_600 == 0 && step.toSeconds() % 3_600 == 0 && firstEnd.getEpochSecond() % 3_600 == 0;
            String relation = raw ? "events" : hours ? "event_counts_1h" : "event_counts_1m";
            sql = "SELECT w.i, " + value + " AS split, " + aggregate + windows + " JOIN " + relation + " e ON " + scope + ofTypes + condition + known
                    + " GROUP BY w.i, split";
        }
        return db.resultQuery(sql, DSL.val(workspaceId), DSL.val(firstEnd.atOffset(ZoneOffset.UTC)), DSL.val(rule.campaignId().orElse("")),
                DSL.val(rule.tag().orElse("")));
    }

    /**
     * The observation of window {@code i}: the metric's value and volume; for a change, the relative change against the
     * window {@code back} steps before; for an anomaly, how many robust deviations the value lies from the median of
     * the windows before it (their median absolute deviation, never less than the metric's own noise at this volume).
     */
    static Observation observe(AlertRule rule, long[][] totals, int i, Duration step) {
        Observation current = value(rule, totals, i);
        if (current.value().isEmpty()) {
            return current;
        }
        if (rule.condition() instanceof Change change) {
            int back = (int) (back(change, rule.window()).toSeconds() / step.toSeconds());
            Optional<Double> before = i - back < 0 ? Optional.empty() : value(rule, totals, i - back).value().filter(b -> b > 0);
            return new Observation(before.map(b -> (current.value().get() - b) / b), current.volume());
        }
        if (rule.condition() instanceof Anomaly anomaly) {
            int perWindow = (int) (rule.window().toSeconds() / step.toSeconds());
            List<Double> history = new ArrayList<>();
            for (int j = 1; j <= anomaly.baselineWindows() && i - j * perWindow >= 0; j++) {
                Observation past = value(rule, totals, i - j * perWindow);
                if (past.value().isPresent() && past.volume() >= rule.minVolume()) {
                    history.add(past.value().get());
                }
            }
            if (history.size() < Math.max(3, anomaly.baselineWindows() / 2)) {
                return new Observation(Optional.empty(), current.volume()); // no baseline yet: nothing to judge against
            }
            double median = median(history);
            double deviation = 1.4826 * median(history.stream().map(v -> Math.abs(v - median)).toList());
            double noise = switch (rule.metric().kind()) {
                case RATE -> Math.sqrt(Math.max(median * (1 - median), 1e-9) / Math.max(current.volume(), 1));
                case COUNT -> Math.sqrt(Math.max(median, 1));
                case SECONDS, HOURS -> Math.max(0.1 * median, 0.001);
            };
            return Observation.of((current.value().get() - median) / Math.max(deviation, noise), current.volume());
        }
        return current;
    }

    /** The windows {@link #observe} needs before the one judged, in steps. */
    static int lookback(AlertRule rule, Duration step) {
        Duration before = rule.condition() instanceof Change change ? back(change, rule.window())
                : rule.condition() instanceof Anomaly anomaly ? rule.window().multipliedBy(anomaly.baselineWindows()) : Duration.ZERO;
        return (int) (before.toSeconds() / step.toSeconds());
    }

    /** How far back a change's base window ends: a window, or a week. */
    static Duration back(Change change, Duration window) {
        return change.against() == AlertRule.Against.WEEK_BEFORE ? Duration.ofDays(7) : window;
    }

    static Observation value(AlertRule rule, long[][] totals, int i) {
        long counted = totals[COUNTED][i];
        long volume = totals[VOLUME][i];
        return switch (rule.metric().kind()) {
            case COUNT -> Observation.of(counted, volume);
            case RATE -> volume == 0 ? Observation.none() : Observation.of((double) counted / volume, volume);
            case SECONDS -> volume == 0 ? Observation.none() : Observation.of(counted / 1_000.0, volume);
            case HOURS -> volume == 0 ? Observation.none() : Observation.of(counted / 3_600.0, volume);
        };
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
