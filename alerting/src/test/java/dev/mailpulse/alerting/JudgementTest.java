package dev.mailpulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mailpulse.alerting.AlertRule.Direction;
import dev.mailpulse.alerting.AlertRule.NoData;
import dev.mailpulse.alerting.AlertRule.Threshold;
import dev.mailpulse.alerting.Judgement.Instance;
import dev.mailpulse.alerting.Judgement.Observation;

class JudgementTest {

    /** Complaints above 0.3%, recovered at or below 0.1%, judged from 100 deliveries. */
    private static final Threshold COMPLAINTS = new Threshold(Direction.ABOVE, 0.003, 0.001);

    @Test
    void firesAtOnceWithoutAPendingPeriodAndResolvesOnlyPastTheRecovery() {
        assertThat(states(1, Observation.of(0.001, 1_000), Observation.of(0.005, 1_000), Observation.of(0.002, 1_000),
                Observation.of(0.001, 1_000), Observation.of(0.0005, 1_000), Observation.of(0.004, 1_000)))
                .containsExactly(AlertState.NORMAL, AlertState.FIRING, AlertState.FIRING, AlertState.RESOLVED, AlertState.NORMAL, AlertState.FIRING);
    }

    @Test
    void aPendingPeriodHoldsABlipBack() {
        assertThat(states(3, Observation.of(0.005, 1_000), Observation.of(0.005, 1_000), Observation.of(0.002, 1_000),
                Observation.of(0.005, 1_000), Observation.of(0.005, 1_000), Observation.of(0.005, 1_000)))
                .containsExactly(AlertState.PENDING, AlertState.PENDING, AlertState.NORMAL, AlertState.PENDING, AlertState.PENDING, AlertState.FIRING);
    }

    @Test
    void belowTheMinimumVolumeNothingIsJudged() {
        // one complaint of three deliveries is 33%, and no reason to wake anyone
        assertThat(states(2, Observation.of(0.33, 3), Observation.of(0.005, 1_000), Observation.of(0.5, 2), Observation.of(0.005, 1_000),
                Observation.of(0.0, 5)))
                .containsExactly(AlertState.NORMAL, AlertState.PENDING, AlertState.PENDING, AlertState.FIRING, AlertState.FIRING);
    }

    @Test
    void byDefaultNoDataNeverResolvesAFiringAlert() {
        assertThat(states(1, Observation.none(), Observation.of(0.005, 1_000), Observation.none(), Observation.of(0.0, 1_000)))
                .containsExactly(AlertState.NODATA, AlertState.FIRING, AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void noDataResolvesWhereTheRuleSaysSo() {
        // traffic that stops after a burst: the alert resolves and is normal again
        assertThat(states(1, NoData.RESOLVE, Observation.of(0.005, 1_000), Observation.none(), Observation.none()))
                .containsExactly(AlertState.FIRING, AlertState.RESOLVED, AlertState.NORMAL);
    }

    @Test
    void noDataFiresAWatchdogAfterItsPendingPeriod() {
        assertThat(states(2, NoData.FIRE, Observation.of(0.001, 1_000), Observation.none(), Observation.none(), Observation.of(0.001, 1_000)))
                .containsExactly(AlertState.NORMAL, AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void anAnomalyIsJudgedOnItsDeviationsAndRecoversWithinThreeQuartersOfThem() {
        Threshold spike = new AlertRule.Anomaly(Direction.ABOVE, 4, 24).threshold();
        Instance instance = Instance.NEW;
        List<AlertState> seen = new ArrayList<>();
        for (double deviations : new double[] {3.9, 4.5, 3.5, 2.9, -6}) {
            instance = Judgement.next(instance, Observation.of(deviations, 1_000), spike, 100, 1, NoData.KEEP, false);
            seen.add(instance.state());
        }
        assertThat(seen).containsExactly(AlertState.NORMAL, AlertState.FIRING, AlertState.FIRING, AlertState.RESOLVED, AlertState.NORMAL);
    }

    @Test
    void aRuleOnBelowBreachesUnderItsThreshold() {
        Threshold delivery = new Threshold(Direction.BELOW, 0.9, 0.95);
        Instance instance = Instance.NEW;
        List<AlertState> seen = new ArrayList<>();
        for (double value : new double[] {0.97, 0.85, 0.92, 0.96}) {
            instance = Judgement.next(instance, Observation.of(value, 1_000), delivery, 100, 1, NoData.KEEP, false);
            seen.add(instance.state());
        }
        assertThat(seen).containsExactly(AlertState.NORMAL, AlertState.FIRING, AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void judgedAgainInTheSameStepABreachCountsOnce() {
        Instance pending = Judgement.next(Instance.NEW, Observation.of(0.005, 1_000), COMPLAINTS, 100, 2, NoData.KEEP, false);
        Instance again = Judgement.next(pending, Observation.of(0.006, 1_000), COMPLAINTS, 100, 2, NoData.KEEP, true);
        assertThat(again).isEqualTo(new Instance(AlertState.PENDING, 1));
        assertThat(Judgement.next(again, Observation.of(0.006, 1_000), COMPLAINTS, 100, 2, NoData.KEEP, false).state()).isEqualTo(AlertState.FIRING);
        assertThat(Judgement.next(again, Observation.of(0.001, 1_000), COMPLAINTS, 100, 2, NoData.KEEP, true).state()).as("no longer breaching")
                .isEqualTo(AlertState.NORMAL);
    }

    @Test
    void aFallIsARelativeChangeBelowItsOpposite() {
        Threshold halved = new AlertRule.Change(Direction.BELOW, 0.5, AlertRule.Against.WEEK_BEFORE).threshold();
        assertThat(Judgement.next(Instance.NEW, Observation.of(-0.4, 1_000), halved, 100, 1, NoData.KEEP, false).state()).isEqualTo(AlertState.NORMAL);
        assertThat(Judgement.next(Instance.NEW, Observation.of(-0.6, 1_000), halved, 100, 1, NoData.KEEP, false).state()).isEqualTo(AlertState.FIRING);
        Threshold doubled = new AlertRule.Change(Direction.ABOVE, 1.0, AlertRule.Against.PREVIOUS_WINDOW).threshold();
        assertThat(Judgement.next(Instance.NEW, Observation.of(1.2, 1_000), doubled, 100, 1, NoData.KEEP, false).state()).isEqualTo(AlertState.FIRING);
    }

    private static List<AlertState> states(int pending, Observation... observations) {
        return states(pending, NoData.KEEP, observations);
    }

    private static List<AlertState> states(int pending, NoData noData, Observation... observations) {
        Instance instance = Instance.NEW;
        List<AlertState> seen = new ArrayList<>();
        for (Observation observed : observations) {
            instance = Judgement.next(instance, observed, COMPLAINTS, 100, pending, noData, false);
            seen.add(instance.state());
        }
        return seen;
    }
}
