package dev.mailpulse.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailpulse.alerting.Judgement.Instance;
import dev.mailpulse.alerting.Judgement.Observation;

/**
 * When a rule would have fired and resolved over a past range, judged from the read model as the evaluator judges
 * live: at the end of every step (the window, or a part of it of at most an hour), over the window that ends there,
 * each value of the split an instance of its own, its pending period, minimum volume and hysteresis applied. So that a
 * user can tune a rule before saving it.
 */
public final class RulePreview {

    /** The longest range previewed: the read model's minute and hour buckets of a month. */
    public static final Duration LONGEST = Duration.ofDays(31);
    private static final Instant ORIGIN = Instant.parse("2000-01-01T00:00:00Z");
    private static final List<Duration> STEPS = List.of(Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofMinutes(15),
            Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1));

    /** The transitions in order, the evaluations of each instance and their step, and the instances firing at the end. */
    public record Preview(Instant from, Instant to, Duration step, int evaluations, List<AlertTransition> transitions, List<Map<String, String>> firingAtTheEnd) {
    }

    private RulePreview() {
    }

    public static Preview of(MetricStore store, UUID workspaceId, AlertRule rule, Instant from, Instant to) {
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("to: a preview spans at most " + LONGEST.toDays() + " days, after its start");
        }
        // counts from the raw store read each event once per window that holds it: at most four windows overlap there
        boolean raw = MetricWindows.readsRawStore(rule);
        Duration step = STEPS.stream().filter(s -> rule.window().toSeconds() % s.toSeconds() == 0)
                .filter(s -> !raw || s.multipliedBy(4).compareTo(rule.window()) >= 0).findFirst().orElse(rule.window());
        Instant first = floor(from, step);
        int evaluations = (int) (Duration.between(first, to).toSeconds() / step.toSeconds());
        int lookback = MetricWindows.lookback(rule, step);
        Instant firstEnd = first.plus(step).minus(step.multipliedBy(lookback));
        Map<Map<String, String>, long[][]> series = MetricWindows.totals(store, workspaceId, rule, step, firstEnd, lookback + evaluations);

        List<AlertTransition> transitions = new ArrayList<>();
        List<Map<String, String>> firing = new ArrayList<>();
        for (Map.Entry<Map<String, String>, long[][]> instance : series.entrySet()) {
            Instance state = Instance.NEW;
            for (int i = lookback; i < lookback + evaluations; i++) { // the window ending at firstEnd + i steps
                Observation observed = MetricWindows.observe(rule, instance.getValue(), i, step);
                Instance next = Judgement.next(state, observed, rule.condition().threshold(), rule.minVolume(), rule.pendingEvaluations(),
                        rule.noData(), false);
                if (next.state() != state.state()) {
                    transitions.add(new AlertTransition(firstEnd.plus(step.multipliedBy(i)), rule.name(), instance.getKey(), state.state(), next.state(),
                            observed.value(), observed.volume()));
                }
                state = next;
            }
            if (state.state() == AlertState.FIRING) {
                firing.add(instance.getKey());
            }
        }
        transitions.sort(java.util.Comparator.comparing(AlertTransition::at).thenComparing(t -> t.labels().toString()));
        return new Preview(first, to, step, evaluations, transitions, firing);
    }

    private static Instant floor(Instant instant, Duration step) {
        long since = Duration.between(ORIGIN, instant).toSeconds();
        return ORIGIN.plusSeconds(since - Math.floorMod(since, step.toSeconds()));
    }
}
