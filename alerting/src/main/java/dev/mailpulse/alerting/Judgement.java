package dev.mailpulse.alerting;

import java.util.Optional;

import dev.mailpulse.alerting.AlertRule.Threshold;

/**
 * One evaluation of one alert instance, plain code: from its state and the window's observation, its next state.
 * Below the rule's minimum volume nothing is judged (three sends and a complaint are not a 33% complaint rate): the
 * instance keeps its state, and a pending period is neither advanced nor broken. The pending period counts
 * consecutive breaching evaluations; a firing instance resolves only once recovered (the threshold's hysteresis), and
 * a resolved one is normal at its next evaluation that does not breach, or pending again at one that does. An
 * evaluation is one step of the rule's clock (a minute live): judged again within it, a breach is not counted twice.
 */
public final class Judgement {

    /** What the evaluation saw in the window: the metric's value (empty without data) and the volume it stands on. */
    public record Observation(Optional<Double> value, long volume) {

        public static Observation of(double value, long volume) {
            return new Observation(Optional.of(value), volume);
        }

        public static Observation none() {
            return new Observation(Optional.empty(), 0);
        }
    }

    /** An instance's state and its consecutive breaching evaluations so far. */
    public record Instance(AlertState state, int breaches) {

        public static final Instance NEW = new Instance(AlertState.NORMAL, 0);
    }

    private Judgement() {
    }

    /**
     * @param condition the rule's {@link AlertRule.Condition#threshold()} (for a change, the observed value is the
     *                  relative change against its base; for an anomaly, its deviations from the baseline)
     * @param noData    what a window without a value makes of the instance
     * @param again     whether the instance was judged already in this step (its window's last bucket filling since):
     *                  a breach then does not count as one more evaluation of the pending period
     */
    public static Instance next(Instance current, Observation observed, Threshold condition, long minVolume, int pendingEvaluations,
                                AlertRule.NoData noData, boolean again) {
        boolean breaches;
        boolean recovered;
        if (observed.value().isEmpty()) {
            if (noData == AlertRule.NoData.KEEP) {
                return new Instance(current.state() == AlertState.FIRING ? AlertState.FIRING : AlertState.NODATA, 0);
            }
            breaches = noData == AlertRule.NoData.FIRE;
            recovered = !breaches;
        } else if (observed.volume() < minVolume) {
            return current;
        } else {
            breaches = condition.breaches(observed.value().get());
            recovered = condition.recovered(observed.value().get());
        }
        return switch (current.state()) {
            case FIRING -> recovered ? new Instance(AlertState.RESOLVED, 0) : current;
            case PENDING, NORMAL, RESOLVED, NODATA, ERROR -> {
                if (!breaches) {
                    yield new Instance(AlertState.NORMAL, 0);
                }
                int breachesSoFar = current.state() == AlertState.PENDING ? current.breaches() + (again ? 0 : 1) : 1;
                yield new Instance(breachesSoFar >= pendingEvaluations ? AlertState.FIRING : AlertState.PENDING, breachesSoFar);
            }
        };
    }
}
