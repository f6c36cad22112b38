package dev.mailpulse.storage.ml;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_FORECASTS;
import static dev.mailpulse.storage.jooq.Tables.ENGAGEMENT_SCORES;
import static dev.mailpulse.storage.jooq.Tables.ENGAGEMENT_SCORINGS;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep7;
import org.jooq.Record;

import dev.mailpulse.storage.jooq.tables.records.CampaignForecastsRecord;
import dev.mailpulse.storage.jooq.tables.records.EngagementScoresRecord;

/**
 * What the promoted models predict, as ml-train writes it and the console and the API read it: each recipient's
 * engagement scores (replaced whole per workspace at each scoring) and the forecasts of running campaigns.
 */
public final class Predictions {

    /** A recipient's probabilities of a human click and a human open within the engagement window of a send. */
    public record Score(String recipientHash, double clickProbability, double openProbability, long priorSends, long priorHumanClicks,
                        long priorHumanOpens) {
    }

    /**
     * A scoring: when, by which model versions (empty: the recipient's smoothed history, no model having beaten it),
     * for a send at which local hour of week (Monday 00:00 is 0), and how many recipients.
     */
    public record Scoring(Instant scoredAt, Optional<Integer> clickModelVersion, Optional<Integer> openModelVersion, int hourOfWeek,
                          long recipients) {
    }

    /**
     * A running campaign's forecast from its first hours: its final human click rate and revenue (in {@code currency})
     * by the promoted models (empty where none is promoted), and the naive forecast (the workspace's average) beside.
     */
    public record Forecast(String campaignId, Instant forecastAt, Instant startedAt, int firstHours, long firstHoursSent,
                           Optional<Double> firstHoursClickRate, Optional<Double> humanClickRate, double humanClickRateAverage,
                           Optional<Integer> clickModelVersion, Optional<String> currency, Optional<BigDecimal> revenue,
                           Optional<BigDecimal> revenueAverage, Optional<Integer> revenueModelVersion) {
    }

    private static final int ROWS_PER_INSERT = 1_000;

    private final DSLContext db;

    public Predictions(DSLContext db) {
        this.db = db;
    }

    /** Replaces the workspace's scores with these, in one transaction; the scoring's count is the rows written. */
    public long replaceScores(UUID workspace, Scoring scoring, Iterator<Score> scores) {
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(ENGAGEMENT_SCORES).where(ENGAGEMENT_SCORES.WORKSPACE_ID.eq(workspace)).execute();
            long written = 0;
            while (scores.hasNext()) {
                InsertValuesStep7<EngagementScoresRecord, UUID, String, Double, Double, Long, Long, Long> insert = t.insertInto(ENGAGEMENT_SCORES,
                        ENGAGEMENT_SCORES.WORKSPACE_ID, ENGAGEMENT_SCORES.RECIPIENT_HASH, ENGAGEMENT_SCORES.CLICK_PROBABILITY,
                        ENGAGEMENT_SCORES.OPEN_PROBABILITY, ENGAGEMENT_SCORES.PRIOR_SENDS, ENGAGEMENT_SCORES.PRIOR_HUMAN_CLICKS,
                        ENGAGEMENT_SCORES.PRIOR_HUMAN_OPENS);
                for (int i = 0; i < ROWS_PER_INSERT && scores.hasNext(); i++) {
                    Score score = scores.next();
                    insert = insert.values(workspace, score.recipientHash(), score.clickProbability(), score.openProbability(), score.priorSends(),
                            score.priorHumanClicks(), score.priorHumanOpens());
                    written++;
                }
                insert.execute();
            }
            t.insertInto(ENGAGEMENT_SCORINGS).set(ENGAGEMENT_SCORINGS.WORKSPACE_ID, workspace)
                    .set(ENGAGEMENT_SCORINGS.SCORED_AT, scoring.scoredAt().atOffset(ZoneOffset.UTC))
                    .set(ENGAGEMENT_SCORINGS.CLICK_MODEL_VERSION, scoring.clickModelVersion().orElse(null))
                    .set(ENGAGEMENT_SCORINGS.OPEN_MODEL_VERSION, scoring.openModelVersion().orElse(null))
                    .set(ENGAGEMENT_SCORINGS.HOUR_OF_WEEK, scoring.hourOfWeek()).set(ENGAGEMENT_SCORINGS.RECIPIENTS, written)
                    .onConflict(ENGAGEMENT_SCORINGS.WORKSPACE_ID).doUpdate()
                    .set(ENGAGEMENT_SCORINGS.SCORED_AT, scoring.scoredAt().atOffset(ZoneOffset.UTC))
                    .set(ENGAGEMENT_SCORINGS.CLICK_MODEL_VERSION, scoring.clickModelVersion().orElse(null))
                    .set(ENGAGEMENT_SCORINGS.OPEN_MODEL_VERSION, scoring.openModelVersion().orElse(null))
                    .set(ENGAGEMENT_SCORINGS.HOUR_OF_WEEK, scoring.hourOfWeek()).set(ENGAGEMENT_SCORINGS.RECIPIENTS, written).execute();
            return written;
        });
    }

    public Optional<Scoring> scoring(UUID workspace) {
        return db.selectFrom(ENGAGEMENT_SCORINGS).where(ENGAGEMENT_SCORINGS.WORKSPACE_ID.eq(workspace))
                .fetchOptional(r -> new Scoring(r.getScoredAt().toInstant(), Optional.ofNullable(r.getClickModelVersion()),
                        Optional.ofNullable(r.getOpenModelVersion()), r.getHourOfWeek(), r.getRecipients()));
    }

    /**
     * Up to {@code limit} scores, the likeliest clickers first, after the one at {@code after} (its click probability and
     * recipient hash: a stable cursor).
     */
    public List<Score> scores(UUID workspace, Optional<Score> after, int limit) {
        var query = db.selectFrom(ENGAGEMENT_SCORES).where(ENGAGEMENT_SCORES.WORKSPACE_ID.eq(workspace));
        if (after.isPresent()) {
            query = query.and(org.jooq.impl.DSL.row(ENGAGEMENT_SCORES.CLICK_PROBABILITY.neg(), ENGAGEMENT_SCORES.RECIPIENT_HASH)
                    .gt(-after.get().clickProbability(), after.get().recipientHash()));
        }
        return query.orderBy(ENGAGEMENT_SCORES.CLICK_PROBABILITY.desc(), ENGAGEMENT_SCORES.RECIPIENT_HASH).limit(limit).fetch(Predictions::score);
    }

    /** One recipient's scores. */
    public Optional<Score> score(UUID workspace, String recipientHash) {
        return db.selectFrom(ENGAGEMENT_SCORES).where(ENGAGEMENT_SCORES.WORKSPACE_ID.eq(workspace), ENGAGEMENT_SCORES.RECIPIENT_HASH.eq(recipientHash))
                .fetchOptional(Predictions::score);
    }

    /** Replaces the workspace's forecasts with these, in one transaction. */
    public void replaceForecasts(UUID workspace, List<Forecast> forecasts) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(CAMPAIGN_FORECASTS).where(CAMPAIGN_FORECASTS.WORKSPACE_ID.eq(workspace)).execute();
            for (Forecast f : forecasts) {
                t.insertInto(CAMPAIGN_FORECASTS).set(CAMPAIGN_FORECASTS.WORKSPACE_ID, workspace).set(CAMPAIGN_FORECASTS.CAMPAIGN_ID, f.campaignId())
                        .set(CAMPAIGN_FORECASTS.FORECAST_AT, f.forecastAt().atOffset(ZoneOffset.UTC))
                        .set(CAMPAIGN_FORECASTS.STARTED_AT, f.startedAt().atOffset(ZoneOffset.UTC))
                        .set(CAMPAIGN_FORECASTS.FIRST_HOURS, f.firstHours()).set(CAMPAIGN_FORECASTS.FIRST_HOURS_SENT, f.firstHoursSent())
                        .set(CAMPAIGN_FORECASTS.FIRST_HOURS_CLICK_RATE, f.firstHoursClickRate().orElse(null))
                        .set(CAMPAIGN_FORECASTS.HUMAN_CLICK_RATE, f.humanClickRate().orElse(null))
                        .set(CAMPAIGN_FORECASTS.HUMAN_CLICK_RATE_AVERAGE, f.humanClickRateAverage())
                        .set(CAMPAIGN_FORECASTS.CLICK_MODEL_VERSION, f.clickModelVersion().orElse(null))
                        .set(CAMPAIGN_FORECASTS.CURRENCY, f.currency().orElse(null)).set(CAMPAIGN_FORECASTS.REVENUE, f.revenue().orElse(null))
                        .set(CAMPAIGN_FORECASTS.REVENUE_AVERAGE, f.revenueAverage().orElse(null))
                        .set(CAMPAIGN_FORECASTS.REVENUE_MODEL_VERSION, f.revenueModelVersion().orElse(null)).execute();
            }
        });
    }

    /** A campaign's forecast, if it is running and was forecast. */
    public Optional<Forecast> forecast(UUID workspace, String campaignId) {
        return db.selectFrom(CAMPAIGN_FORECASTS).where(CAMPAIGN_FORECASTS.WORKSPACE_ID.eq(workspace), CAMPAIGN_FORECASTS.CAMPAIGN_ID.eq(campaignId))
                .fetchOptional(Predictions::forecast);
    }

    /** Every running campaign's forecast. */
    public List<Forecast> forecasts(UUID workspace) {
        return db.selectFrom(CAMPAIGN_FORECASTS).where(CAMPAIGN_FORECASTS.WORKSPACE_ID.eq(workspace)).orderBy(CAMPAIGN_FORECASTS.CAMPAIGN_ID)
                .fetch(Predictions::forecast);
    }

    private static Forecast forecast(CampaignForecastsRecord r) {
        return new Forecast(r.getCampaignId(), r.getForecastAt().toInstant(), r.getStartedAt().toInstant(), r.getFirstHours(), r.getFirstHoursSent(),
                Optional.ofNullable(r.getFirstHoursClickRate()), Optional.ofNullable(r.getHumanClickRate()), r.getHumanClickRateAverage(),
                Optional.ofNullable(r.getClickModelVersion()), Optional.ofNullable(r.getCurrency()), Optional.ofNullable(r.getRevenue()),
                Optional.ofNullable(r.getRevenueAverage()), Optional.ofNullable(r.getRevenueModelVersion()));
    }

    private static Score score(Record r) {
        return new Score(r.get(ENGAGEMENT_SCORES.RECIPIENT_HASH), r.get(ENGAGEMENT_SCORES.CLICK_PROBABILITY), r.get(ENGAGEMENT_SCORES.OPEN_PROBABILITY),
                r.get(ENGAGEMENT_SCORES.PRIOR_SENDS), r.get(ENGAGEMENT_SCORES.PRIOR_HUMAN_CLICKS), r.get(ENGAGEMENT_SCORES.PRIOR_HUMAN_OPENS));
    }
}
