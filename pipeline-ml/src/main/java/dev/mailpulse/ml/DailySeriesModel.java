package dev.mailpulse.ml;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.mailpulse.storage.ml.DailyForecasts.Day;

/**
 * A workspace's daily series (sends, human clicks) forecast for the next days: exponential smoothing of the level with
 * a multiplicative weekly season, measured by a rolling-origin backtest against the seasonal-naive forecast (the same
 * weekday of the last week seen), both by the mean absolute scaled error (MASE: the absolute error over the in-sample
 * mean absolute change from a week before). The intervals come from the backtest's own errors: the relative errors'
 * quantiles, so they are as wide as the model was wrong.
 */
final class DailySeriesModel {

    static final String ALGORITHM = "seasonal_exponential_smoothing";
    /** The series and the daily facts' sums that make them. */
    static final Map<String, String> SERIES = Map.of("sent", "sum(sent)", "human_clicks", "sum(clicks - bot_clicks)");
    /** The weight of each new day in the level. */
    static final double ALPHA = 0.2;
    /** The weeks the weekly season is estimated over (the latest). */
    static final int SEASON_WEEKS = 8;
    /** The fewest origins a backtest is scored over: fewer say nothing of the method. */
    static final int MIN_ORIGINS = 5;

    /** The backtest's scores: the model's and the seasonal-naive forecast's, and the relative errors the intervals use. */
    record Backtest(int origins, int points, double mase, double mae, double naiveMase, double naiveMae, double[] relativeErrors) {

        Map<String, Double> metrics() {
            return Map.of("mase", mase, "mae", mae);
        }

        Map<String, Map<String, Double>> baselineMetrics() {
            return Map.of("seasonal_naive", Map.of("mase", naiveMase, "mae", naiveMae));
        }
    }

    private DailySeriesModel() {
    }

    /**
     * The forecast of the {@code horizon} days after the series, whose first value is of {@code first}; its intervals
     * from the backtest's relative errors.
     */
    static List<Day> forecast(double[] series, LocalDate first, int horizon, Backtest backtest) {
        double[] point = fit(series, series.length, horizon);
        double[] errors = backtest.relativeErrors();
        List<Day> days = new ArrayList<>();
        for (int h = 0; h < horizon; h++) {
            double f = point[h];
            days.add(new Day(first.plusDays(series.length + h), f, bound(f, errors, 0.10), bound(f, errors, 0.90), bound(f, errors, 0.025),
                    bound(f, errors, 0.975)));
        }
        return days;
    }

    /**
     * Every origin from {@code minTrainingDays} on (at least {@link #MIN_ORIGINS}): fitted on the days before it, forecast up to {@code horizon} days from
     * it (as many as the series has), against the seasonal-naive forecast from the same origin.
     */
    static Backtest backtest(double[] series, int minTrainingDays, int horizon) {
        if (minTrainingDays < 14 || series.length < minTrainingDays + MIN_ORIGINS) {
            throw new IllegalArgumentException("a backtest needs two weeks of training and " + MIN_ORIGINS + " days after them: " + series.length
                    + " days, " + minTrainingDays + " for training");
        }
        double scaledErrors = 0;
        double naiveScaledErrors = 0;
        double errors = 0;
        double naiveErrors = 0;
        int points = 0;
        int origins = 0;
        List<Double> relative = new ArrayList<>();
        for (int origin = minTrainingDays; origin < series.length; origin++) {
            double scale = weeklyChange(series, origin);
            if (scale == 0) {
                continue;
            }
            int steps = Math.min(horizon, series.length - origin);
            double[] point = fit(series, origin, steps);
            for (int h = 0; h < steps; h++) {
                double actual = series[origin + h];
                double naive = series[origin - 7 + h % 7];
                errors += Math.abs(actual - point[h]);
                naiveErrors += Math.abs(actual - naive);
                scaledErrors += Math.abs(actual - point[h]) / scale;
                naiveScaledErrors += Math.abs(actual - naive) / scale;
                if (point[h] > 0) {
                    relative.add((actual - point[h]) / point[h]);
                }
                points++;
            }
            origins++;
        }
        if (points == 0) {
            throw new IllegalArgumentException("the series does not change from one week to the next: nothing to scale errors by");
        }
        return new Backtest(origins, points, scaledErrors / points, errors / points, naiveScaledErrors / points, naiveErrors / points,
                relative.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    /** The forecast of {@code steps} days after the first {@code length} days of the series. */
    private static double[] fit(double[] series, int length, int steps) {
        double[] season = season(series, length);
        int start = Math.max(0, length - SEASON_WEEKS * 7);
        double level = 0;
        for (int t = start; t < start + 7; t++) {
            level += series[t] / season[t % 7] / 7;
        }
        for (int t = start + 7; t < length; t++) {
            level = ALPHA * series[t] / season[t % 7] + (1 - ALPHA) * level;
        }
        double[] point = new double[steps];
        for (int h = 0; h < steps; h++) {
            point[h] = level * season[(length + h) % 7];
        }
        return point;
    }

    /** Each weekday's factor (by the day's index modulo 7) over the latest whole weeks: its mean over the weeks' mean. */
    private static double[] season(double[] series, int length) {
        int weeks = Math.min(SEASON_WEEKS, length / 7);
        double[] sums = new double[7];
        double total = 0;
        for (int t = length - weeks * 7; t < length; t++) {
            sums[t % 7] += series[t];
            total += series[t];
        }
        double[] season = new double[7];
        Arrays.fill(season, 1);
        if (total > 0) {
            for (int d = 0; d < 7; d++) {
                // a weekday with nothing keeps a small factor, so the level never divides by zero
                season[d] = Math.max(0.01, 7 * sums[d] / total);
            }
        }
        return season;
    }

    /** The mean absolute change from a week before over the first {@code length} days: what MASE scales errors by. */
    private static double weeklyChange(double[] series, int length) {
        double sum = 0;
        for (int t = 7; t < length; t++) {
            sum += Math.abs(series[t] - series[t - 7]);
        }
        return length > 7 ? sum / (length - 7) : 0;
    }

    /** The forecast moved by the relative errors' quantile {@code q}, never below zero. */
    private static double bound(double forecast, double[] sortedErrors, double q) {
        if (sortedErrors.length == 0) {
            return forecast;
        }
        double position = q * (sortedErrors.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sortedErrors.length - 1, below + 1);
        double error = sortedErrors[below] + (position - below) * (sortedErrors[above] - sortedErrors[below]);
        return Math.max(0, forecast * (1 + error));
    }
}
