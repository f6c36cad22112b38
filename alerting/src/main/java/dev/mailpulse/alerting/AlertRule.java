package dev.mailpulse.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert rule as written through the API or the console: a metric over a sliding window, for the whole workspace,
 * one campaign or the campaigns of a tag, optionally one instance per value of a split; judged only at or above a minimum volume; a
 * condition that must hold for a number of consecutive evaluations (the pending period) before the instance fires;
 * how often a firing instance nobody acknowledged is told again; a severity, labels, a message and the channels
 * notified. Read and checked by {@link AlertRuleJson}.
 */
public record AlertRule(String name, Metric metric, Optional<String> campaignId, Optional<String> tag, Optional<Metric.Split> splitBy, Duration window,
                        Condition condition, long minVolume, int pendingEvaluations, NoData noData, Duration repeatInterval, Severity severity,
                        Map<String, String> labels, String message, List<Channel> channels) {

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(noData, "noData");
        Objects.requireNonNull(repeatInterval, "repeatInterval");
        labels = Map.copyOf(labels);
        channels = List.copyOf(channels);
    }

    /** Whether a value breaches, and whether a firing instance has recovered. */
    public sealed interface Condition permits Threshold, Change, Anomaly {

        /** The threshold a value is judged by: for a change, the value is the relative change against its base. */
        Threshold threshold();
    }

    /**
     * Above or below a value; a firing instance recovers only past {@code recoverAt} (hysteresis: at or below it
     * for a rule on "above", at or above it for one on "below"), which is the threshold itself unless given.
     */
    public record Threshold(Direction direction, double value, double recoverAt) implements Condition {

        public boolean breaches(double observed) {
            return direction == Direction.ABOVE ? observed > value : observed < value;
        }

        public boolean recovered(double observed) {
            return direction == Direction.ABOVE ? observed <= recoverAt : observed >= recoverAt;
        }

        @Override
        public Threshold threshold() {
            return this;
        }
    }

    /** A rise or a fall of at least {@code by} (0.5 is 50%) against the previous window or the same window a week before. */
    public record Change(Direction direction, double by, Against against) implements Condition {

        /** A rise breaches above +by, a fall below -by, of (value - base) ÷ base. */
        @Override
        public Threshold threshold() {
            double limit = direction == Direction.ABOVE ? by : -by;
            return new Threshold(direction, limit, limit);
        }
    }

    /**
     * A value outside the band the metric's own recent history draws: at least {@code deviations} robust standard
     * deviations (1.4826 × the median absolute deviation, never less than the metric's noise at the window's volume)
     * above or below the median of the {@code baselineWindows} windows before. Judged on the deviation, so that a firing
     * instance recovers once back within three quarters of it.
     */
    public record Anomaly(Direction direction, double deviations, int baselineWindows) implements Condition {

        @Override
        public Threshold threshold() {
            double limit = direction == Direction.ABOVE ? deviations : -deviations;
            return new Threshold(direction, limit, 0.75 * limit);
        }
    }

    /**
     * What a window without a value (a rate without its basis, a change or an anomaly without its base) makes of an
     * instance, Grafana's choice: {@code KEEP} leaves a firing instance firing and shows the others as no data;
     * {@code RESOLVE} takes it as normal, so traffic that stops resolves an alert; {@code FIRE} takes it as a breach,
     * for a watchdog on traffic that must not stop.
     */
    public enum NoData {
        KEEP, RESOLVE, FIRE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Direction {
        ABOVE, BELOW
    }

    public enum Against {
        PREVIOUS_WINDOW, WEEK_BEFORE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Severity {
        INFO, WARNING, CRITICAL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where an instance's transitions are told. */
    public sealed interface Channel permits Webhook, Email {
    }

    /** A JSON POST signed with HMAC-SHA256 under the channel's own secret. */
    public record Webhook(URI url, String secret) implements Channel {

        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=(set)]"; // never a secret in a log
        }
    }

    public record Email(String to) implements Channel {
    }
}
