package dev.mailpulse.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.traffic.Simulation;

/**
 * The daily forecasts on nine weeks of the generator's traffic in New York, its sends and clicks per local day: the
 * rolling-origin backtest's MASE below 1 and below the seasonal-naive forecast's, and intervals that hold the later
 * days as often as they say.
 */
class DailySeriesModelTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant FROM = Instant.parse("2026-09-07T04:00:00Z"); // a Monday, midnight in New York
    private static final int DAYS = 63;
    private static final Map<String, double[]> SERIES = generated();

    @Test
    void theBacktestBeatsTheSeasonalNaiveForecastOnTheGeneratorsDays() {
        SERIES.forEach((type, series) -> {
            DailySeriesModel.Backtest backtest = DailySeriesModel.backtest(series, 28, 14);
            assertThat(backtest.origins()).isEqualTo(series.length - 28);
            assertThat(backtest.points()).isGreaterThan(backtest.origins() * 7);
            assertThat(backtest.mase()).as(type + ": %s", backtest).isLessThan(1).isLessThan(backtest.naiveMase());
            assertThat(backtest.metrics()).containsOnlyKeys("mase", "mae");
            assertThat(backtest.baselineMetrics()).containsOnlyKeys("seasonal_naive");
        });
    }

    @Test
    void theIntervalsHoldTheLaterDaysAsOftenAsTheySay() {
        SERIES.forEach((type, series) -> {
            double[] training = Arrays.copyOf(series, series.length - 14);
            LocalDate first = LocalDate.ofInstant(FROM, NEW_YORK).plusDays(1);
            List<DailyForecasts.Day> days = DailySeriesModel.forecast(training, first, 14, DailySeriesModel.backtest(training, 28, 14));
            assertThat(days).hasSize(14);
            assertThat(days.get(0).day()).isEqualTo(first.plusDays(training.length));
            int within80 = 0;
            int within95 = 0;
            for (int h = 0; h < 14; h++) {
                DailyForecasts.Day day = days.get(h);
                double actual = series[training.length + h];
                assertThat(List.of(day.low95(), day.low80(), day.forecast(), day.high80(), day.high95())).isSorted();
                within80 += actual >= day.low80() && actual <= day.high80() ? 1 : 0;
                within95 += actual >= day.low95() && actual <= day.high95() ? 1 : 0;
            }
            assertThat(within80).as(type + " in the 80% intervals").isGreaterThanOrEqualTo(9);
            assertThat(within95).as(type + " in the 95% intervals").isGreaterThanOrEqualTo(12);
        });
    }

    @Test
    void aSeriesShorterThanTwoWeeksAndADayIsNotBacktested() {
        assertThatThrownBy(() -> DailySeriesModel.backtest(new double[14], 14, 14)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two weeks");
        assertThatThrownBy(() -> DailySeriesModel.backtest(new double[30], 14, 14)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not change");
    }

    /** Sends and clicks per local day, the first and last (partial) days left out. */
    private static Map<String, double[]> generated() {
        Simulation simulation = new Simulation(20261204, List.of(NEW_YORK), 4, "campaign").rotating(Duration.ofDays(1));
        for (long minute = 1; minute <= DAYS * 24 * 60L; minute++) {
            simulation.next(2, FROM.plus(minute, ChronoUnit.MINUTES));
        }
        LocalDate first = LocalDate.ofInstant(FROM, NEW_YORK).plusDays(1);
        Map<String, double[]> series = new TreeMap<>();
        for (String type : List.of("email.send", "email.click")) {
            double[] values = new double[DAYS - 2];
            simulation.dayTruth().forEach((key, count) -> {
                int index = (int) ChronoUnit.DAYS.between(first, key.day());
                if (key.type().equals(type) && index >= 0 && index < values.length) {
                    values[index] += count;
                }
            });
            series.put(type, values);
        }
        return series;
    }
}
