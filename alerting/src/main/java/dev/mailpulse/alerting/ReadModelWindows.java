package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1H;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import dev.mailpulse.alerting.AlertRule.Against;
import dev.mailpulse.alerting.AlertRule.Change;
import dev.mailpulse.alerting.Judgement.Observation;

/**
 * A rule's metric from the read model's counts by event type, for each value of its split: the events it counts and
 * the basis of a rate in consecutive steps, and a window's observation from them. What the preview and the evaluator
 * both judge, so that a rule previewed fires as it will live.
 */
final class ReadModelWindows {

    private ReadModelWindows() {
    }

    /** Whether the read model's counts give the rule's metric for each value of its split. */
    static boolean countable(AlertRule rule) {
        return rule.metric().readModelCounts().isPresent() && !rule.splitBy().equals(Optional.of(Metric.Split.RECIPIENT_DOMAIN));
    }

    /** Refuses a rule whose metric or split the read model cannot give. */
    static Metric.ReadModelCounts requireCountable(AlertRule rule) {
        Metric.ReadModelCounts counts = rule.metric().readModelCounts()
                .orElseThrow(() -> new InvalidRule("metric", rule.metric().wireName() + " cannot be judged yet: the read model does not count it"));
        if (rule.splitBy().equals(Optional.of(Metric.Split.RECIPIENT_DOMAIN))) {
            throw new InvalidRule("split_by", "recipient domains cannot be judged yet: the read model does not keep them");
        }
        return counts;
    }

    /** The window's value and volume; for a change, the relative change against its base window, on the current volume. */
    static Observation observe(AlertRule rule, long[][] sums, int end, int perWindow, Duration step) {
        Observation current = value(rule, sums, end, perWindow);
        if (!(rule.condition() instanceof Change change) || current.value().isEmpty()) {
            return current;
        }
        int back = (int) (back(change, rule.window()).toSeconds() / step.toSeconds());
        return relativeTo(current, value(rule, sums, end - back, perWindow));
    }

    /** How far back a change's base window ends: a window, or a week. */
    static Duration back(Change change, Duration window) {
        return change.against() == Against.WEEK_BEFORE ? Duration.ofDays(7) : window;
    }

    /** The relative change of a value against its base, on the value's volume; none without a base above 0. */
    static Observation relativeTo(Observation current, Observation base) {
        Optional<Double> before = base.value().filter(b -> b > 0);
        return new Observation(before.map(b -> (current.value().get() - b) / b), current.volume());
    }

    static Observation value(AlertRule rule, long[][] sums, int end, int perWindow) {
        int start = Math.max(0, end - perWindow);
        long counted = sums[0][end] - sums[0][start];
        if (rule.metric().kind() != Metric.Kind.RATE) {
            return Observation.of(counted, counted);
        }
        long basis = sums[1][end] - sums[1][start];
        return basis == 0 ? new Observation(Optional.empty(), 0) : Observation.of((double) counted / basis, basis);
    }

    static long[][] prefixSums(long[][] perStep) {
        long[][] sums = new long[2][perStep[0].length + 1];
        for (int row = 0; row < 2; row++) {
            for (int i = 0; i < perStep[row].length; i++) {
                sums[row][i + 1] = sums[row][i] + perStep[row][i];
            }
        }
        return sums;
    }

    /**
     * Per instance (split value), the counted events ({@code [0]}) and the basis ({@code [1]}) in each of {@code steps}
     * steps from {@code from}; the hour buckets where steps are whole hours from a whole hour, else the minute ones.
     */
    static Map<Map<String, String>, long[][]> perStep(DSLContext db, UUID workspaceId, AlertRule rule, Duration step, Instant from, int steps) {
        Metric.ReadModelCounts counts = requireCountable(rule);
        boolean hours = step.toSeconds() % 3_600 == 0 && from.getEpochSecond() % 3_600 == 0;
        var relation = hours ? EVENT_COUNTS_1H : EVENT_COUNTS_1M;
        Field<OffsetDateTime> bucket = relation.field("bucket", OffsetDateTime.class);
        Field<String> type = relation.field("event_type", String.class);
        Field<String> split = rule.splitBy().map(s -> relation.field(s == Metric.Split.CAMPAIGN ? "campaign_id" : "mailbox_provider", String.class))
                .orElse(DSL.inline("", String.class));
        Field<OffsetDateTime> binned = DSL.field("date_bin({0}::interval, {1}, {2})", OffsetDateTime.class, DSL.inline(step.toSeconds() + " seconds"),
                bucket, DSL.inline(from.atOffset(ZoneOffset.UTC)));
        Set<String> types = new HashSet<>(counts.counted());
        types.addAll(counts.of());
        Condition scope = relation.field("workspace_id", UUID.class).eq(workspaceId).and(bucket.ge(from.atOffset(ZoneOffset.UTC)))
                .and(bucket.lt(from.plus(step.multipliedBy(steps)).atOffset(ZoneOffset.UTC)))
                .and(counts.counted().isEmpty() ? DSL.noCondition() : type.in(types.stream().map(DSL::inline).toList()))
                .and(rule.campaignId().map(relation.field("campaign_id", String.class)::eq).orElse(DSL.noCondition()))
                .and(rule.splitBy().isPresent() ? split.isNotNull() : DSL.noCondition());
        Map<Map<String, String>, long[][]> series = new TreeMap<>(Comparator.comparing(Map::toString));
        db.select(binned, split, type, DSL.sum(relation.field("event_count", Long.class))).from(relation).where(scope).groupBy(binned, split, type)
                .forEach(r -> {
                    Map<String, String> labels = rule.splitBy().map(s -> Map.of(s.wireName(), r.value2())).orElse(Map.of());
                    long[][] perStep = series.computeIfAbsent(labels, l -> new long[2][steps]);
                    int at = (int) (Duration.between(from, r.value1().toInstant()).toSeconds() / step.toSeconds());
                    long events = r.value4().longValue();
                    if (counts.counted().isEmpty() || counts.counted().contains(r.value3())) {
                        perStep[0][at] += events;
                    }
                    if (counts.of().contains(r.value3())) {
                        perStep[1][at] += events;
                    }
                });
        if (series.isEmpty() && rule.splitBy().isEmpty()) {
            series.put(Map.of(), new long[2][steps]);
        }
        return series;
    }
}
