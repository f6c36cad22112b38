package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1H;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
import dev.mailpulse.alerting.Judgement.Instance;
import dev.mailpulse.alerting.Judgement.Observation;

/**
 * When a rule would have fired and resolved over a past range, judged from the read model as the evaluator judges
 * live: at the end of every step (the window, or a part of it of at most an hour), over the window that ends there,
 * each value of the split an instance of its own, its pending period, minimum volume and hysteresis applied. So that a
 * user can tune a rule before saving it. Only metrics the read model's counts by event type give can be previewed,
 * and not split by recipient domain, which it does not keep.
 */
public final class RulePreview {

    /** The longest range previewed: the read model's minute and hour buckets of a month. */
    public static final Duration LONGEST = Duration.ofDays(31);
    private static final Instant ORIGIN = Instant.parse("2000-01-01T00:00:00Z");
    private static final List<Duration> STEPS = List.of(Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofMinutes(15),
            Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1));

    /** One change of an instance's state: when, which instance (its split's value), from and to, on what value and volume. */
    public record Transition(Instant at, Map<String, String> labels, AlertState from, AlertState to, Optional<Double> value, long volume) {
    }

    /** The transitions in order, the evaluations of each instance and their step, and the instances firing at the end. */
    public record Preview(Instant from, Instant to, Duration step, int evaluations, List<Transition> transitions, List<Map<String, String>> firingAtTheEnd) {
    }

    private RulePreview() {
    }

    public static Preview of(DSLContext db, UUID workspaceId, AlertRule rule, Instant from, Instant to) {
        Metric.ReadModelCounts counts = rule.metric().readModelCounts()
                .orElseThrow(() -> new InvalidRule("metric", "a preview of " + rule.metric().wireName() + " is not possible yet: the read model "
                        + "does not count it"));
        if (rule.splitBy().equals(Optional.of(Metric.Split.RECIPIENT_DOMAIN))) {
            throw new InvalidRule("split_by", "a preview cannot split by recipient domain: the read model does not keep it");
        }
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("to: a preview spans at most " + LONGEST.toDays() + " days, after its start");
        }
        Duration step = STEPS.stream().filter(s -> rule.window().toSeconds() % s.toSeconds() == 0).findFirst().orElseThrow();
        Instant first = floor(from, step);
        Duration lookback = rule.window().plus(rule.condition() instanceof Change change
                ? (change.against() == Against.WEEK_BEFORE ? Duration.ofDays(7) : rule.window()) : Duration.ZERO);
        Instant loadFrom = first.minus(lookback);
        int steps = (int) (Duration.between(loadFrom, to).toSeconds() / step.toSeconds());
        Map<Map<String, String>, long[][]> series = load(db, workspaceId, rule, counts, step, loadFrom, steps);

        int perWindow = (int) (rule.window().toSeconds() / step.toSeconds());
        int firstEvaluation = (int) (Duration.between(loadFrom, first).toSeconds() / step.toSeconds());
        List<Transition> transitions = new ArrayList<>();
        List<Map<String, String>> firing = new ArrayList<>();
        for (Map.Entry<Map<String, String>, long[][]> instance : series.entrySet()) {
            long[][] sums = prefixSums(instance.getValue());
            Instance state = Instance.NEW;
            for (int end = firstEvaluation + 1; end <= steps; end++) { // the window of steps [end - perWindow, end)
                Observation observed = observe(rule, sums, end, perWindow, step);
                Instance next = Judgement.next(state, observed, rule.condition().threshold(), rule.minVolume(), rule.pendingEvaluations());
                if (next.state() != state.state()) {
                    transitions.add(new Transition(loadFrom.plus(step.multipliedBy(end)), instance.getKey(), state.state(), next.state(),
                            observed.value(), observed.volume()));
                }
                state = next;
            }
            if (state.state() == AlertState.FIRING) {
                firing.add(instance.getKey());
            }
        }
        transitions.sort(java.util.Comparator.comparing(Transition::at).thenComparing(t -> t.labels().toString()));
        return new Preview(first, to, step, steps - firstEvaluation, transitions, firing);
    }

    /** The window's value and volume; for a change, the relative change against its base window, on the current volume. */
    private static Observation observe(AlertRule rule, long[][] sums, int end, int perWindow, Duration step) {
        Observation current = value(rule, sums, end, perWindow);
        if (!(rule.condition() instanceof Change change) || current.value().isEmpty()) {
            return current;
        }
        int back = change.against() == Against.WEEK_BEFORE ? (int) (Duration.ofDays(7).toSeconds() / step.toSeconds()) : perWindow;
        Optional<Double> base = value(rule, sums, end - back, perWindow).value().filter(b -> b > 0);
        return new Observation(base.map(b -> (current.value().get() - b) / b), current.volume());
    }

    private static Observation value(AlertRule rule, long[][] sums, int end, int perWindow) {
        int start = Math.max(0, end - perWindow);
        long counted = sums[0][end] - sums[0][start];
        if (rule.metric().kind() != Metric.Kind.RATE) {
            return Observation.of(counted, counted);
        }
        long basis = sums[1][end] - sums[1][start];
        return basis == 0 ? new Observation(Optional.empty(), 0) : Observation.of((double) counted / basis, basis);
    }

    private static long[][] prefixSums(long[][] perStep) {
        long[][] sums = new long[2][perStep[0].length + 1];
        for (int row = 0; row < 2; row++) {
            for (int i = 0; i < perStep[row].length; i++) {
                sums[row][i + 1] = sums[row][i] + perStep[row][i];
            }
        }
        return sums;
    }

    /** Per instance (split value), the counted events and the basis in each step from {@code loadFrom}. */
    private static Map<Map<String, String>, long[][]> load(DSLContext db, UUID workspaceId, AlertRule rule, Metric.ReadModelCounts counts,
                                                           Duration step, Instant loadFrom, int steps) {
        var relation = step.compareTo(Duration.ofHours(1)) >= 0 ? EVENT_COUNTS_1H : EVENT_COUNTS_1M;
        Field<OffsetDateTime> bucket = relation.field("bucket", OffsetDateTime.class);
        Field<String> type = relation.field("event_type", String.class);
        Field<String> split = rule.splitBy().map(s -> relation.field(s == Metric.Split.CAMPAIGN ? "campaign_id" : "mailbox_provider", String.class))
                .orElse(DSL.inline("", String.class));
        Field<OffsetDateTime> binned = DSL.field("date_bin({0}::interval, {1}, {2})", OffsetDateTime.class, DSL.inline(step.toSeconds() + " seconds"),
                bucket, DSL.inline(ORIGIN.atOffset(ZoneOffset.UTC)));
        Set<String> types = new HashSet<>(counts.counted());
        types.addAll(counts.of());
        Condition scope = relation.field("workspace_id", UUID.class).eq(workspaceId).and(bucket.ge(loadFrom.atOffset(ZoneOffset.UTC)))
                .and(bucket.lt(loadFrom.plus(step.multipliedBy(steps)).atOffset(ZoneOffset.UTC)))
                .and(counts.counted().isEmpty() ? DSL.noCondition() : type.in(types.stream().map(DSL::inline).toList()))
                .and(rule.campaignId().map(relation.field("campaign_id", String.class)::eq).orElse(DSL.noCondition()))
                .and(rule.splitBy().isPresent() ? split.isNotNull() : DSL.noCondition());
        Map<Map<String, String>, long[][]> series = new TreeMap<>(java.util.Comparator.comparing(Map::toString));
        db.select(binned, split, type, DSL.sum(relation.field("event_count", Long.class))).from(relation).where(scope).groupBy(binned, split, type)
                .forEach(r -> {
                    Map<String, String> labels = rule.splitBy().map(s -> Map.of(s.wireName(), r.value2())).orElse(Map.of());
                    long[][] perStep = series.computeIfAbsent(labels, l -> new long[2][steps]);
                    int at = (int) (Duration.between(loadFrom, r.value1().toInstant()).toSeconds() / step.toSeconds());
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

    private static Instant floor(Instant instant, Duration step) {
        long since = Duration.between(ORIGIN, instant).toSeconds();
        return ORIGIN.plusSeconds(since - Math.floorMod(since, step.toSeconds()));
    }
}
