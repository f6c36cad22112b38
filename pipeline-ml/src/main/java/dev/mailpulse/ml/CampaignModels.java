package dev.mailpulse.ml;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The campaign forecasts: a campaign's final human click rate (its lifetime unique human clickers over delivered, from
 * the daily facts) and its attributed revenue, from its first hours in the raw store ({@link #firstHours}). Linear regression and
 * gradient-boosted trees, each fitted on the campaigns that started earlier and measured on those that started later
 * by mean absolute error, against the naive forecast: the average of the training campaigns ({@code workspace_average}).
 */
final class CampaignModels {

    static final List<String> FEATURES = List.of("first_sent_log", "first_click_rate", "first_open_rate", "first_click_lift", "first_open_lift",
            "start_hour", "start_weekday");
    static final double LR_REGULARISATION = 0.01;
    static final int GBT_ITERATIONS = 20;
    static final int GBT_DEPTH = 3;

    /** What a forecast is of: the target column. */
    enum Target {
        CLICK_RATE("final_click_rate"), REVENUE("final_revenue");

        final String column;

        Target(String column) {
            this.column = column;
        }
    }

    private CampaignModels() {
    }

    /**
     * One row per campaign of the sends read: when it started (when 2% of its sends were sent, so that sends stamped
     * hours early do not move its start), when it last sent, how much it sent, and its first hours' features: its
     * messages of those hours and the share of them opened and clicked by people within those hours, and the same
     * shares as a lift over every message the workspace sent in the same hours (which takes out the hour of the day
     * and the day of the week).
     */
    static Dataset<Row> firstHours(EngagementData.Inputs inputs, ZoneId zone, int hours) {
        Dataset<Row> sends = inputs.sends().join(inputs.firstEngagements(), "message_id", "left")
                .withColumn("send_second", expr("unix_seconds(send_at)"))
                .withColumn("click_second", expr("unix_seconds(first_click_at)"))
                .withColumn("open_second", expr("unix_seconds(first_open_at)"));
        Dataset<Row> campaigns = sends.where(col("campaign_id").notEqual("")).groupBy("campaign_id")
                .agg(expr("percentile_approx(send_second, 0.02)").as("start_second"), max("send_at").as("last_send_at"), count(lit(1)).as("sent"))
                .withColumn("started_at", expr("timestamp_seconds(start_second)"))
                .withColumn("end_second", col("start_second").plus(hours * 3600L));
        Dataset<Row> windows = campaigns.select(col("campaign_id").as("window_campaign"), col("start_second").as("window_start"),
                col("end_second").as("window_end"));
        Dataset<Row> everything = sends.join(broadcast(windows), col("send_second").geq(col("window_start")).and(col("send_second").lt(col("window_end"))))
                .groupBy("window_campaign").agg(count(lit(1)).as("all_sent"), clickedBy("window_end").as("all_clicked"),
                        openedBy("window_end").as("all_opened"))
                .withColumnRenamed("window_campaign", "campaign_id");
        return sends.join(campaigns, "campaign_id").where(col("send_second").geq(col("start_second")).and(col("send_second").lt(col("end_second"))))
                .groupBy("campaign_id", "started_at", "last_send_at", "sent")
                .agg(count(lit(1)).as("first_sent"), clickedBy("end_second").as("first_clicked"), openedBy("end_second").as("first_opened"))
                .join(everything, "campaign_id")
                .withColumn("first_sent_log", log1p(col("first_sent")))
                .withColumn("first_click_rate", col("first_clicked").cast("double").divide(col("first_sent")))
                .withColumn("first_open_rate", col("first_opened").cast("double").divide(col("first_sent")))
                .withColumn("first_click_lift", lift("first_click_rate", "all_clicked", "all_sent"))
                .withColumn("first_open_lift", lift("first_open_rate", "all_opened", "all_sent"))
                .withColumn("start_hour", hour(from_utc_timestamp(col("started_at"), zone.getId())).cast("double"))
                .withColumn("start_weekday", expr("(dayofweek(from_utc_timestamp(started_at, '" + zone.getId() + "')) + 5) % 7").cast("double"));
    }

    private static Column clickedBy(String end) {
        return sum(when(col("click_second").lt(col(end)), 1).otherwise(0));
    }

    private static Column openedBy(String end) {
        return sum(when(col("open_second").lt(col(end)), 1).otherwise(0));
    }

    /** The campaign's rate over everyone's in the same hours; 1 where no one's was above zero. */
    private static Column lift(String rate, String part, String whole) {
        return when(col(part).gt(0), col(rate).divide(col(part).cast("double").divide(col(whole)))).otherwise(1.0);
    }

    static List<Candidate> train(Dataset<Row> training, Dataset<Row> test, Target target) {
        double average = training.agg(avg(col(target.column))).first().getDouble(0);
        Map<String, Map<String, Double>> baselines = Map.of("workspace_average", measure(test.withColumn("average", lit(average)), target, "average"));
        List<Candidate> candidates = new ArrayList<>();
        PipelineModel linear = new Pipeline().setStages(new PipelineStage[] {assembler(),
                new LinearRegression().setLabelCol(target.column).setFeaturesCol("features").setRegParam(LR_REGULARISATION)}).fit(training);
        candidates.add(new Candidate("linear_regression", Candidate.spark(linear), parameters(Map.of("regularisation", LR_REGULARISATION)),
                measure(linear.transform(test), target, "prediction"), baselines));
        PipelineModel trees = new Pipeline().setStages(new PipelineStage[] {assembler(),
                new GBTRegressor().setLabelCol(target.column).setFeaturesCol("features").setMaxIter(GBT_ITERATIONS).setMaxDepth(GBT_DEPTH).setSeed(1)})
                .fit(training);
        candidates.add(new Candidate("gradient_boosted_trees", Candidate.spark(trees), parameters(Map.of("iterations", GBT_ITERATIONS, "max_depth", GBT_DEPTH)),
                measure(trees.transform(test), target, "prediction"), baselines));
        return candidates;
    }

    private static VectorAssembler assembler() {
        return new VectorAssembler().setInputCols(FEATURES.toArray(String[]::new)).setOutputCol("features");
    }

    private static Map<String, Object> parameters(Map<String, Object> own) {
        Map<String, Object> parameters = new LinkedHashMap<>(own);
        parameters.put("features", String.join(", ", FEATURES));
        return parameters;
    }

    private static Map<String, Double> measure(Dataset<Row> scored, Target target, String prediction) {
        return Map.of("mae", new RegressionEvaluator().setLabelCol(target.column).setPredictionCol(prediction).setMetricName("mae").evaluate(scored));
    }
}
