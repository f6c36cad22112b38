package dev.mailpulse.ml;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;

import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.ml.Recommendations;
import dev.mailpulse.storage.ml.SendTimes;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;

/**
 * One workspace's training, in order: the engagement models of a human click and of a human open (each candidate
 * recorded in the registry, the best promoted if it beats its best baseline), the scores of every recipient by the
 * promoted models, and the send-time model; the campaign models of the final human click rate and revenue, and the
 * forecasts of the running campaigns; the daily forecasts of the workspace's sends and human clicks; the campaign
 * clusters; then the suggestions made from all of it. Every test row is later in time than every training row.
 */
public final class MlTraining {

    private final SparkSession spark;
    private final JdbcSource jdbc;
    private final DSLContext db;
    private final MlProperties properties;
    private final ModelRegistry registry;
    private final Predictions predictions;
    private final SendTimes sendTimes;

    public MlTraining(SparkSession spark, JdbcSource jdbc, DSLContext db, MlProperties properties) {
        this.spark = spark;
        this.jdbc = jdbc;
        this.db = db;
        this.properties = properties;
        this.registry = new ModelRegistry(db);
        this.predictions = new Predictions(db);
        this.sendTimes = new SendTimes(db);
    }

    /** Trains on the workspace's data of the history days before {@code now}; each step's outcome goes to {@code progress}. */
    public void train(Workspace workspace, Instant now, Consumer<String> progress) {
        ZoneId zone = ZoneId.of(workspace.timeZone());
        Instant from = now.minus(Duration.ofDays(properties.historyDays()));
        EngagementData.Inputs read = EngagementData.read(spark, jdbc, workspace.id(), from, now, properties);
        EngagementData.Inputs inputs = new EngagementData.Inputs(read.sends().persist(StorageLevel.MEMORY_AND_DISK()),
                read.firstEngagements().persist(StorageLevel.MEMORY_AND_DISK()), read.recipientDays().persist(StorageLevel.MEMORY_AND_DISK()));
        try {
            engagement(workspace, inputs, zone, now, progress);
            campaigns(workspace, inputs, zone, from, now, progress);
            dailyForecasts(workspace, zone, now, progress);
            clusters(workspace, zone, from, progress);
            recommend(workspace, progress);
        } finally {
            inputs.sends().unpersist();
            inputs.firstEngagements().unpersist();
            inputs.recipientDays().unpersist();
        }
    }

    private void engagement(Workspace workspace, EngagementData.Inputs inputs, ZoneId zone, Instant now, Consumer<String> progress) {
        Duration window = properties.engagementWindow();
        Dataset<Row> rows = EngagementData.rows(inputs, zone, now, window).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long total = rows.count();
            if (total < properties.minTrainingRows() + properties.minTrainingRows() / 10) {
                progress.accept(String.format(Locale.ROOT, "engagement: %,d sends with their %s window ended, fewer than the %,d needed: not trained",
                        total, window, properties.minTrainingRows() + properties.minTrainingRows() / 10));
                return;
            }
            Row range = rows.agg(min("send_at"), max("send_at")).first();
            Instant first = range.getTimestamp(0).toInstant();
            Instant last = range.getTimestamp(1).toInstant();
            Instant split = first.plus(Duration.between(first, last).multipliedBy(3).dividedBy(4));
            // a window's gap: every training row's label is known before the first test row is sent
            Dataset<Row> training = rows.where(col("send_at").lt(lit(Timestamp.from(split.minus(window))))).persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> test = rows.where(col("send_at").geq(lit(Timestamp.from(split)))).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Rows span = new Rows(first, split, last, training.count(), test.count());
                if (span.training() < properties.minTrainingRows() || span.test() < properties.minTrainingRows() / 10) {
                    progress.accept(String.format(Locale.ROOT, "engagement: %,d sends before %s and %,d after it, too few: not trained", span.training(),
                            split.minus(window), span.test()));
                    return;
                }
                progress.accept(String.format(Locale.ROOT, "engagement: %,d sends from %s, trained on the %,d sent by %s, tested on the %,d sent "
                        + "from %s", total, first, span.training(), split.minus(window), span.test(), split));
                for (EngagementModels.Label label : EngagementModels.Label.values()) {
                    String name = label == EngagementModels.Label.CLICK ? ModelRegistry.ENGAGEMENT_CLICK : ModelRegistry.ENGAGEMENT_OPEN;
                    double trainingPositives = training.agg(sum(label.column)).first().getDouble(0);
                    double testPositives = test.agg(sum(label.column)).first().getDouble(0);
                    if (trainingPositives < 10 || testPositives < 10) {
                        progress.accept(String.format(Locale.ROOT, "%s: %.0f positive training rows and %.0f positive test rows, too few: not trained",
                                name, trainingPositives, testPositives));
                        continue;
                    }
                    record(workspace.id(), name, EngagementModels.train(training, test, label), "roc_auc", true, span, progress);
                }
                score(workspace, inputs, training, now, progress);
                sendTimes(workspace, rows, training, test, span, progress);
            } finally {
                training.unpersist();
                test.unpersist();
            }
        } finally {
            rows.unpersist();
        }
    }

    /** The rows a model learnt from and was tested on. */
    private record Rows(Instant from, Instant split, Instant to, long training, long test) {
    }

    /**
     * Records every candidate; the best by {@code metric} is promoted if it beats the best baseline by it, else the
     * version promoted before stays. Returns the version promoted now, if one was.
     */
    private Optional<Integer> record(UUID workspace, String name, List<Candidate> candidates, String metric, boolean higherIsBetter, Rows rows,
                        Consumer<String> progress) {
        Comparator<Double> better = higherIsBetter ? Comparator.naturalOrder() : Comparator.reverseOrder();
        Candidate best = candidates.stream().max(Comparator.comparing(c -> c.metrics().get(metric), better)).orElseThrow();
        Map.Entry<String, Map<String, Double>> baseline = best.baselineMetrics().entrySet().stream()
                .max(Comparator.comparing(e -> e.getValue().get(metric), better)).orElseThrow();
        double bestValue = best.metrics().get(metric);
        double baselineValue = baseline.getValue().get(metric);
        boolean beatsBaseline = better.compare(bestValue, baselineValue) > 0;
        Instant trainedAt = Instant.now();
        Optional<Integer> promotedNow = Optional.empty();
        for (Candidate candidate : candidates) {
            int version = registry.nextVersion(workspace, name);
            String path = properties.modelDirectory().resolve(workspace.toString()).resolve(name).resolve("v" + version).toAbsolutePath().toString();
            try {
                candidate.model().saveTo(path);
            } catch (IOException e) {
                throw new UncheckedIOException("the model could not be saved at " + path, e);
            }
            double value = candidate.metrics().get(metric);
            boolean promoted = candidate == best && beatsBaseline;
            String verdict = candidate != best
                    ? String.format(Locale.ROOT, "not promoted: %s did better on the same test rows (%s %.4f against %.4f)", best.algorithm(), metric,
                            bestValue, value)
                    : String.format(Locale.ROOT, "%s: %s %.4f against %.4f for the best baseline (%s)",
                            promoted ? "promoted" : "not promoted, the baseline is as good", metric, value, baselineValue, baseline.getKey());
            registry.record(workspace, new ModelRegistry.Model(name, version, candidate.algorithm(), trainedAt, rows.from(), rows.split(), rows.to(),
                    rows.training(), rows.test(), candidate.parameters(), candidate.metrics(), candidate.baselineMetrics(), promoted, verdict, path));
            progress.accept(String.format(Locale.ROOT, "%s v%d (%s): %s", name, version, candidate.algorithm(), verdict));
            if (promoted) {
                promotedNow = Optional.of(version);
            }
        }
        return promotedNow;
    }

    /**
     * The send-time model: fitted on the training rows, measured on the test rows; if promoted, fitted again on all the
     * rows, and its segments and every recipient's best hour replace the workspace's.
     */
    private void sendTimes(Workspace workspace, Dataset<Row> rows, Dataset<Row> training, Dataset<Row> test, Rows span, Consumer<String> progress) {
        SendTimeModel.Fitted fitted = SendTimeModel.fit(training, properties.sendTimeMinSegmentSends());
        Map<String, Object> parameters = Map.of("label", "human click within " + properties.engagementWindow(),
                "min_segment_sends", properties.sendTimeMinSegmentSends(), "min_recipient_sends", properties.sendTimeMinRecipientSends());
        Optional<Integer> promoted = record(workspace.id(), ModelRegistry.SEND_TIME, List.of(SendTimeModel.evaluate(fitted, test, parameters)),
                "log_loss", false, span, progress);
        if (promoted.isEmpty()) {
            progress.accept("send times: left as the promoted version made them");
            return;
        }
        // the method measured and promoted, fitted again on every row: the latest sends are the most like the next ones
        SendTimeModel.Fitted all = SendTimeModel.fit(rows, properties.sendTimeMinSegmentSends());
        List<SendTimes.Segment> segments = all.all().stream().map(profile -> profile.toSegment(promoted.get())).toList();
        long recipients = sendTimes.replace(workspace.id(), segments, SendTimeModel.recipients(spark, all, rows, properties.sendTimeMinRecipientSends()));
        progress.accept(String.format(Locale.ROOT, "send times: %d providers and domains, %,d recipients, by %s v%d", segments.size(), recipients,
                ModelRegistry.SEND_TIME, promoted.get()));
    }

    /**
     * The daily forecasts of the workspace's sends and human clicks, from the daily facts of the history days: each
     * backtested from every origin after its first {@code forecast-min-days} against the seasonal-naive forecast and
     * recorded; if promoted, its next {@code forecast-days} replace the workspace's.
     */
    private void dailyForecasts(Workspace workspace, ZoneId zone, Instant now, Consumer<String> progress) {
        LocalDate from = LocalDate.ofInstant(now.minus(Duration.ofDays(properties.historyDays())), zone);
        List<String> names = DailySeriesModel.SERIES.keySet().stream().sorted().toList();
        Result<Record> facts = db.fetch("SELECT day, " + String.join(", ", names.stream().map(n -> DailySeriesModel.SERIES.get(n) + "::float8").toList())
                + " FROM daily_campaign_facts WHERE workspace_id = ?::uuid AND day >= ? GROUP BY day ORDER BY day", workspace.id().toString(), from);
        int minDays = properties.forecastMinDays();
        // the first day read may have begun partway (the workspace's first day, or the range's), so it is left out
        LocalDate first = facts.isEmpty() ? from : facts.get(0).get(0, LocalDate.class).plusDays(1);
        int length = facts.isEmpty() ? 0 : (int) ChronoUnit.DAYS.between(first, facts.get(facts.size() - 1).get(0, LocalDate.class)) + 1;
        if (length < minDays + DailySeriesModel.MIN_ORIGINS) {
            progress.accept(String.format(Locale.ROOT, "daily forecasts: %d whole days processed, %d needed: not trained", Math.max(0, length),
                    minDays + DailySeriesModel.MIN_ORIGINS));
            return;
        }
        for (int s = 0; s < names.size(); s++) {
            String series = names.get(s);
            String name = DailyForecasts.MODEL_OF_SERIES.get(series);
            double[] values = new double[length];
            for (Record day : facts) {
                int index = (int) ChronoUnit.DAYS.between(first, day.get(0, LocalDate.class));
                if (index >= 0) {
                    values[index] = day.get(s + 1, Double.class);
                }
            }
            DailySeriesModel.Backtest backtest;
            try {
                backtest = DailySeriesModel.backtest(values, minDays, properties.forecastDays());
            } catch (IllegalArgumentException e) {
                progress.accept(name + ": " + e.getMessage() + ": not trained");
                continue;
            }
            List<DailyForecasts.Day> days = DailySeriesModel.forecast(values, first, properties.forecastDays(), backtest);
            Rows span = new Rows(first.atStartOfDay(zone).toInstant(), first.plusDays(minDays).atStartOfDay(zone).toInstant(),
                    first.plusDays(length).atStartOfDay(zone).toInstant(), minDays, backtest.points());
            Map<String, Object> parameters = Map.of("alpha", DailySeriesModel.ALPHA, "season_weeks", DailySeriesModel.SEASON_WEEKS,
                    "horizon_days", properties.forecastDays(), "min_training_days", minDays, "origins", backtest.origins());
            Optional<Integer> promoted = record(workspace.id(), name, List.of(new Candidate(DailySeriesModel.ALGORITHM, Candidate.json(days), parameters,
                    backtest.metrics(), backtest.baselineMetrics())), "mase", false, span, progress);
            if (promoted.isPresent()) {
                new DailyForecasts(db).replace(workspace.id(), new DailyForecasts.Forecast(series, promoted.get(), now, days));
                progress.accept(String.format(Locale.ROOT, "daily forecast of %s: %d days from %s, by %s v%d", series, days.size(), days.get(0).day(),
                        name, promoted.get()));
            }
        }
    }

    /**
     * The campaign clusters, from the lifetime KPIs of the campaigns that began in the history days and ended before the
     * last processed day (so none is still running), with at least min-campaign-sends sends: fitted on the earlier
     * three quarters, measured on the later quarter; if promoted, every such campaign's cluster replaces the workspace's.
     */
    private void clusters(Workspace workspace, ZoneId zone, Instant from, Consumer<String> progress) {
        String kpis = String.join(", ", CampaignClusterModel.KPIS);
        List<CampaignClusterModel.Campaign> campaigns = db.fetch("SELECT campaign_id, first_day, " + kpis + " FROM campaign_lifetime_kpis k "
                        + "WHERE workspace_id = ?::uuid AND first_day >= ? AND sent >= ? AND " + String.join(" IS NOT NULL AND ", CampaignClusterModel.KPIS)
                        + " IS NOT NULL AND last_day < (SELECT max(last_day) FROM campaign_lifetime_kpis WHERE workspace_id = k.workspace_id) "
                        + "ORDER BY first_day, campaign_id", workspace.id().toString(), LocalDate.ofInstant(from, zone), properties.minCampaignSends())
                .map(r -> new CampaignClusterModel.Campaign(r.get(0, String.class), r.get(1, LocalDate.class),
                        CampaignClusterModel.KPIS.stream().mapToDouble(kpi -> r.get(kpi, Double.class)).toArray()));
        int trainingCount = campaigns.size() * 3 / 4;
        if (campaigns.size() < properties.minCampaigns() || trainingCount < 8) {
            progress.accept(String.format(Locale.ROOT, "campaign clusters: %d completed campaigns with %d sends or more, %d needed: not trained",
                    campaigns.size(), properties.minCampaignSends(), Math.max(properties.minCampaigns(), 11)));
            return;
        }
        List<CampaignClusterModel.Campaign> training = campaigns.subList(0, trainingCount);
        List<CampaignClusterModel.Campaign> test = campaigns.subList(trainingCount, campaigns.size());
        Rows span = new Rows(training.get(0).firstDay().atStartOfDay(zone).toInstant(), test.get(0).firstDay().atStartOfDay(zone).toInstant(),
                test.get(test.size() - 1).firstDay().plusDays(1).atStartOfDay(zone).toInstant(), training.size(), test.size());
        CampaignClusterModel.Trained trained = CampaignClusterModel.train(spark, training, test);
        Optional<Integer> promoted = record(workspace.id(), ModelRegistry.CAMPAIGN_CLUSTERS, List.of(trained.candidate()), "silhouette", true, span,
                progress);
        if (promoted.isPresent()) {
            Map<String, Integer> members = CampaignClusterModel.assign(spark, trained.model(), campaigns);
            List<CampaignClusters.Cluster> clusters = CampaignClusterModel.describe(campaigns, members, promoted.get());
            new CampaignClusters(db).replace(workspace.id(), clusters, members);
            progress.accept(String.format(Locale.ROOT, "campaign clusters: %d campaigns in %d clusters, by %s v%d", members.size(), clusters.size(),
                    ModelRegistry.CAMPAIGN_CLUSTERS, promoted.get()));
        }
    }

    /** The suggestions from what this run and the daily facts show, as of the last processed day. */
    private void recommend(Workspace workspace, Consumer<String> progress) {
        LocalDate lastDay = db.fetchOne("SELECT max(day) FROM daily_campaign_facts WHERE workspace_id = ?::uuid", workspace.id().toString())
                .get(0, LocalDate.class);
        if (lastDay == null) {
            progress.accept("recommendations: no processed day yet: none made");
            return;
        }
        List<Recommendations.Advice> advice = new Recommender(db).advise(workspace.id(), lastDay);
        new Recommendations(db).refresh(workspace.id(), advice, Instant.now());
        progress.accept(String.format(Locale.ROOT, "recommendations: %d as of %s%s", advice.size(), lastDay,
                advice.isEmpty() ? "" : " (" + String.join(", ", advice.stream().map(Recommendations.Advice::kind).distinct().toList()) + ")"));
    }

    /** The promoted model of a name, loaded from where it was saved. */
    private Optional<Loaded> promoted(UUID workspace, String name) {
        return registry.promoted(workspace, name).map(model -> new Loaded(model.version(), PipelineModel.load(model.modelPath())));
    }

    private record Loaded(int version, PipelineModel model) {
    }

    /**
     * Every recipient seen in the sends read, scored for a send now at the workspace's most usual hour of week, by a
     * campaign of average features; by the promoted models, else by the recipient's smoothed history.
     */
    private void score(Workspace workspace, EngagementData.Inputs inputs, Dataset<Row> training, Instant now, Consumer<String> progress) {
        Row usual = training.groupBy("weekday", "hour").agg(count(lit(1)).as("sends")).orderBy(desc("sends")).first();
        double weekday = usual.getDouble(0);
        double hour = usual.getDouble(1);
        Row campaign = training.agg(avg("campaign_click_rate"), avg("campaign_open_rate"), avg("campaign_sends_log"),
                avg(EngagementModels.Label.CLICK.column), avg(EngagementModels.Label.OPEN.column)).first();
        Dataset<Row> history = inputs.recipientDays().groupBy("recipient_hash").agg(sum("sends").as("prior_sends"),
                sum("human_opens").as("prior_opens"), sum("human_clicks").as("prior_clicks"), max("last_engaged_at").as("last_engaged_at"));
        Dataset<Row> latest = inputs.sends().withColumn("latest", row_number().over(Window.partitionBy("recipient_hash").orderBy(desc("send_at"))))
                .where(col("latest").equalTo(1)).select("recipient_hash", "mailbox_provider", "recipient_domain");
        Dataset<Row> rows = EngagementData.recipientFeatures(latest.join(history, "recipient_hash", "left")
                        .na().fill(0L, new String[] {"prior_sends", "prior_opens", "prior_clicks"})
                        .withColumn("send_at", lit(Timestamp.from(now))))
                .withColumn("hour", lit(hour)).withColumn("weekday", lit(weekday))
                .withColumn("campaign_click_rate", lit(campaign.getDouble(0))).withColumn("campaign_open_rate", lit(campaign.getDouble(1)))
                .withColumn("campaign_sends_log", lit(campaign.getDouble(2)));
        Optional<Loaded> click = promoted(workspace.id(), ModelRegistry.ENGAGEMENT_CLICK);
        Optional<Loaded> open = promoted(workspace.id(), ModelRegistry.ENGAGEMENT_OPEN);
        rows = probability(rows, click, EngagementModels.recipientHistory(EngagementModels.Label.CLICK, campaign.getDouble(3)), "click_probability");
        rows = probability(rows, open, EngagementModels.recipientHistory(EngagementModels.Label.OPEN, campaign.getDouble(4)), "open_probability");
        Iterator<Predictions.Score> scores = LocalRows.of(rows.select("recipient_hash", "click_probability", "open_probability", "prior_sends",
                "prior_clicks", "prior_opens"), row -> new Predictions.Score(row.getString(0), row.getDouble(1), row.getDouble(2), row.getLong(3),
                row.getLong(4), row.getLong(5)));
        int hourOfWeek = (int) (weekday * 24 + hour);
        long written = predictions.replaceScores(workspace.id(), new Predictions.Scoring(now, click.map(Loaded::version), open.map(Loaded::version),
                hourOfWeek, 0), scores);
        progress.accept(String.format(Locale.ROOT, "scores: %,d recipients, for a send at hour %d of the week, by %s and %s", written, hourOfWeek,
                click.map(l -> ModelRegistry.ENGAGEMENT_CLICK + " v" + l.version()).orElse("the recipients' histories (no click model promoted)"),
                open.map(l -> ModelRegistry.ENGAGEMENT_OPEN + " v" + l.version()).orElse("the recipients' histories (no open model promoted)")));
    }

    /** The rows with the model's probability of the positive class as {@code column} (the fallback's without one), nothing else added. */
    private static Dataset<Row> probability(Dataset<Row> rows, Optional<Loaded> model, Column fallback, String column) {
        if (model.isEmpty()) {
            return rows.withColumn(column, fallback);
        }
        Set<String> before = new HashSet<>(Arrays.asList(rows.columns()));
        Dataset<Row> scored = model.get().model().transform(rows).withColumn(column, functions.vector_to_array(col("probability"), "float64").getItem(1));
        for (String added : scored.columns()) {
            if (!before.contains(added) && !added.equals(column)) {
                scored = scored.drop(added);
            }
        }
        return scored;
    }

    private void campaigns(Workspace workspace, EngagementData.Inputs inputs, ZoneId zone, Instant from, Instant now, Consumer<String> progress) {
        int hours = properties.firstHours();
        String id = workspace.id().toString();
        Dataset<Row> firstHours = CampaignModels.firstHours(inputs, zone, hours).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // the currency most of its attributed conversions are in (amounts of different currencies do not compare)
            Optional<String> currency = db.fetchOptional("SELECT currency FROM daily_attribution WHERE workspace_id = ?::uuid AND campaign_id <> '' "
                    + "GROUP BY currency ORDER BY sum(conversions) DESC, currency LIMIT 1", id).map(r -> r.get(0, String.class));
            Dataset<Row> revenue = jdbc.readAll(spark, "SELECT campaign_id, sum(revenue)::float8 AS final_revenue FROM daily_attribution "
                    + "WHERE workspace_id = '" + id + "' AND campaign_id <> '' AND currency = '" + currency.orElse("").replace("'", "''")
                    + "' GROUP BY campaign_id");
            Dataset<Row> lifetimes = jdbc.readAll(spark, "SELECT campaign_id, human_click_rate AS final_click_rate FROM campaign_lifetime_kpis "
                    + "WHERE workspace_id = '" + id + "' AND human_click_rate IS NOT NULL");
            List<Row> completed = firstHours.join(lifetimes, "campaign_id").join(revenue, "campaign_id", "left")
                    .na().fill(0.0, new String[] {"final_revenue"})
                    .where(col("last_send_at").lt(lit(Timestamp.from(now.minus(properties.engagementWindow())))))
                    .where(col("started_at").gt(lit(Timestamp.from(from.plus(Duration.ofHours(hours))))))
                    .orderBy("started_at", "campaign_id").collectAsList();
            Set<String> completes = new HashSet<>(jdbc.read(spark, "SELECT campaign_id, occurred_at FROM events WHERE workspace_id = '" + id
                    + "' AND event_type = 'campaign.complete' AND campaign_id IS NOT NULL", "occurred_at", from, now,
                    Duration.ofDays(properties.historyDays())).select("campaign_id").distinct().as(Encoders.STRING()).collectAsList());
            List<Row> running = firstHours.where(col("started_at").leq(lit(Timestamp.from(now.minus(Duration.ofHours(hours))))))
                    .where(col("last_send_at").geq(lit(Timestamp.from(now.minus(Duration.ofDays(1))))))
                    .orderBy("campaign_id").collectAsList().stream().filter(r -> !completes.contains(r.getString(r.fieldIndex("campaign_id")))).toList();
            if (completed.size() < properties.minCampaigns()) {
                progress.accept(String.format(Locale.ROOT, "campaigns: %d completed with their first %d hours in the data, fewer than the %d needed: not trained",
                        completed.size(), hours, properties.minCampaigns()));
            } else {
                int trainingCount = completed.size() * 3 / 4;
                Instant split = completed.get(trainingCount).getTimestamp(completed.get(0).fieldIndex("started_at")).toInstant();
                Dataset<Row> all = spark.createDataFrame(completed, completed.get(0).schema());
                Dataset<Row> training = all.where(col("started_at").lt(lit(Timestamp.from(split))));
                Dataset<Row> test = all.where(col("started_at").geq(lit(Timestamp.from(split))));
                Instant first = completed.get(0).getTimestamp(completed.get(0).fieldIndex("started_at")).toInstant();
                Instant last = completed.get(completed.size() - 1).getTimestamp(completed.get(0).fieldIndex("started_at")).toInstant();
                Rows span = new Rows(first, split, last, training.count(), test.count());
                if (span.training() == 0 || span.test() == 0) {
                    progress.accept(String.format(Locale.ROOT, "campaigns: %d completed, all started at once: not trained", completed.size()));
                    forecast(workspace, completed, running, currency, now, progress);
                    return;
                }
                progress.accept(String.format(Locale.ROOT, "campaigns: %d completed, trained on the %d that started before %s, tested on the %d after",
                        completed.size(), span.training(), split, span.test()));
                record(workspace.id(), ModelRegistry.CAMPAIGN_CLICK_RATE, CampaignModels.train(training, test, CampaignModels.Target.CLICK_RATE),
                        "mae", false, span, progress);
                if (currency.isPresent()) {
                    record(workspace.id(), ModelRegistry.CAMPAIGN_REVENUE, CampaignModels.train(training, test, CampaignModels.Target.REVENUE),
                            "mae", false, span, progress);
                }
            }
            forecast(workspace, completed, running, currency, now, progress);
        } finally {
            firstHours.unpersist();
        }
    }

    /** The running campaigns' forecasts by the promoted campaign models, beside the completed campaigns' averages. */
    private void forecast(Workspace workspace, List<Row> completed, List<Row> running, Optional<String> currency, Instant now,
                          Consumer<String> progress) {
        if (completed.isEmpty() || running.isEmpty()) {
            predictions.replaceForecasts(workspace.id(), List.of());
            progress.accept(String.format(Locale.ROOT, "forecasts: %d running campaigns, %d completed to compare with: none made", running.size(),
                    completed.size()));
            return;
        }
        double clickAverage = completed.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("final_click_rate"))).average().orElseThrow();
        double revenueAverage = completed.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("final_revenue"))).average().orElseThrow();
        Optional<Loaded> click = promoted(workspace.id(), ModelRegistry.CAMPAIGN_CLICK_RATE);
        Optional<Loaded> revenue = currency.flatMap(c -> promoted(workspace.id(), ModelRegistry.CAMPAIGN_REVENUE));
        Dataset<Row> rows = spark.createDataFrame(running, running.get(0).schema());
        Map<String, Double> clickRates = predicted(rows, click);
        Map<String, Double> revenues = predicted(rows, revenue);
        List<Predictions.Forecast> forecasts = new ArrayList<>();
        for (Row row : running) {
            String campaign = row.getString(row.fieldIndex("campaign_id"));
            forecasts.add(new Predictions.Forecast(campaign, now, row.getTimestamp(row.fieldIndex("started_at")).toInstant(), properties.firstHours(),
                    row.getLong(row.fieldIndex("first_sent")), Optional.of(row.getDouble(row.fieldIndex("first_click_rate"))),
                    Optional.ofNullable(clickRates.get(campaign)).map(rate -> Math.max(0, rate)), clickAverage, click.map(Loaded::version),
                    currency, Optional.ofNullable(revenues.get(campaign)).map(amount -> BigDecimal.valueOf(Math.max(0, amount))),
                    currency.map(c -> BigDecimal.valueOf(revenueAverage)), revenue.map(Loaded::version)));
        }
        predictions.replaceForecasts(workspace.id(), forecasts);
        progress.accept(String.format(Locale.ROOT, "forecasts: %d running campaigns, by %s", forecasts.size(),
                click.map(l -> ModelRegistry.CAMPAIGN_CLICK_RATE + " v" + l.version()).orElse("the average only (no campaign model promoted)")));
    }

    private static Map<String, Double> predicted(Dataset<Row> rows, Optional<Loaded> model) {
        Map<String, Double> predicted = new HashMap<>();
        model.ifPresent(m -> m.model().transform(rows).select("campaign_id", "prediction").collectAsList()
                .forEach(r -> predicted.put(r.getString(0), r.getDouble(1))));
        return predicted;
    }
}
