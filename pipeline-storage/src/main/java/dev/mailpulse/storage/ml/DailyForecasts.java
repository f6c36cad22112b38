package dev.mailpulse.storage.ml;

import static dev.mailpulse.storage.jooq.Tables.DAILY_FORECASTS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;

/**
 * The promoted daily-forecast models' outputs, as ml-train writes them and the console and the API read them: the
 * next days of a workspace's daily series with their 80% and 95% intervals. Replaced whole per workspace and series.
 */
public final class DailyForecasts {

    /** The series forecast, by the registry's model name. */
    public static final Map<String, String> MODEL_OF_SERIES = Map.of("sent", ModelRegistry.DAILY_SENT, "human_clicks", ModelRegistry.DAILY_HUMAN_CLICKS);

    /** One local day's forecast. */
    public record Day(LocalDate day, double forecast, double low80, double high80, double low95, double high95) {
    }

    /** A series' forecast: by which model version, when, and its days. */
    public record Forecast(String series, int modelVersion, Instant madeAt, List<Day> days) {
    }

    private final DSLContext db;

    public DailyForecasts(DSLContext db) {
        this.db = db;
    }

    /** Replaces the workspace's forecast of the series, in one transaction. */
    public void replace(UUID workspace, Forecast forecast) {
        if (!MODEL_OF_SERIES.containsKey(forecast.series())) {
            throw new IllegalArgumentException("no series '" + forecast.series() + "' (one of " + MODEL_OF_SERIES.keySet() + ")");
        }
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(DAILY_FORECASTS).where(DAILY_FORECASTS.WORKSPACE_ID.eq(workspace), DAILY_FORECASTS.SERIES.eq(forecast.series())).execute();
            for (Day day : forecast.days()) {
                t.insertInto(DAILY_FORECASTS).set(DAILY_FORECASTS.WORKSPACE_ID, workspace).set(DAILY_FORECASTS.SERIES, forecast.series())
                        .set(DAILY_FORECASTS.DAY, day.day()).set(DAILY_FORECASTS.MODEL_VERSION, forecast.modelVersion())
                        .set(DAILY_FORECASTS.MADE_AT, forecast.madeAt().atOffset(ZoneOffset.UTC)).set(DAILY_FORECASTS.FORECAST, day.forecast())
                        .set(DAILY_FORECASTS.LOW_80, day.low80()).set(DAILY_FORECASTS.HIGH_80, day.high80()).set(DAILY_FORECASTS.LOW_95, day.low95())
                        .set(DAILY_FORECASTS.HIGH_95, day.high95()).execute();
            }
        });
    }

    /** The workspace's forecast of the series, its days in order, if one was made. */
    public Optional<Forecast> forecast(UUID workspace, String series) {
        var rows = db.selectFrom(DAILY_FORECASTS).where(DAILY_FORECASTS.WORKSPACE_ID.eq(workspace), DAILY_FORECASTS.SERIES.eq(series))
                .orderBy(DAILY_FORECASTS.DAY).fetch();
        List<Day> days = rows.map(r -> new Day(r.getDay(), r.getForecast(), r.getLow_80(), r.getHigh_80(), r.getLow_95(), r.getHigh_95()));
        return rows.isEmpty() ? Optional.empty()
                : Optional.of(new Forecast(series, rows.get(0).getModelVersion(), rows.get(0).getMadeAt().toInstant(), days));
    }
}
