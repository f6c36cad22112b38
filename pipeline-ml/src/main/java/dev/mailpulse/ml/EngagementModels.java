package dev.mailpulse.ml;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The engagement models of one label (a human click, or a human open): logistic regression and gradient-boosted trees,
 * each fitted on the earlier rows and measured on the later ones by ROC AUC and PR AUC, against two baselines on the
 * same rows: the training rows' rate for everyone ({@code global_rate}), and the recipient's own history smoothed
 * toward that rate ({@code recipient_history}).
 */
final class EngagementModels {

    /** How many sends of the global rate the recipient's smoothed history starts from. */
    static final double PRIOR_SENDS = 4;
    static final int LR_ITERATIONS = 100;
    static final double LR_REGULARISATION = 0.001;
    static final int GBT_ITERATIONS = 30;
    static final int GBT_DEPTH = 5;

    /** What one label is: its column, and the recipient's prior count of it. */
    enum Label {
        CLICK("label_click", "prior_clicks"), OPEN("label_open", "prior_opens");

        final String column;
        final String priorCount;

        Label(String column, String priorCount) {
            this.column = column;
            this.priorCount = priorCount;
        }
    }

    private EngagementModels() {
    }

    static List<Candidate> train(Dataset<Row> training, Dataset<Row> test, Label label) {
        double globalRate = training.agg(avg(col(label.column))).first().getDouble(0);
        Dataset<Row> scored = test.withColumn("global_rate", lit(globalRate))
                .withColumn("recipient_history", recipientHistory(label, globalRate));
        Map<String, Map<String, Double>> baselines = new LinkedHashMap<>();
        baselines.put("global_rate", measure(scored, label, "global_rate"));
        baselines.put("recipient_history", measure(scored, label, "recipient_history"));

        List<Candidate> candidates = new ArrayList<>();
        LogisticRegression logistic = new LogisticRegression().setLabelCol(label.column).setFeaturesCol("features")
                .setMaxIter(LR_ITERATIONS).setRegParam(LR_REGULARISATION);
        PipelineModel lr = new Pipeline().setStages(new PipelineStage[] {
                new StringIndexer().setInputCols(new String[] {"mailbox_provider", "recipient_domain"})
                        .setOutputCols(new String[] {"provider_index", "domain_index"}).setHandleInvalid("keep"),
                new OneHotEncoder().setInputCols(new String[] {"provider_index", "domain_index", "hour", "weekday"})
                        .setOutputCols(new String[] {"provider_vector", "domain_vector", "hour_vector", "weekday_vector"}).setHandleInvalid("keep"),
                assembler(List.of("provider_vector", "domain_vector", "hour_vector", "weekday_vector")), logistic}).fit(training);
        candidates.add(new Candidate("logistic_regression", Candidate.spark(lr), parameters(Map.of("max_iterations", LR_ITERATIONS,
                "regularisation", LR_REGULARISATION, "categorical", "one-hot: mailbox_provider, recipient_domain, hour, weekday")),
                measure(lr.transform(test), label, "rawPrediction"), baselines));

        GBTClassifier trees = new GBTClassifier().setLabelCol(label.column).setFeaturesCol("features").setMaxIter(GBT_ITERATIONS)
                .setMaxDepth(GBT_DEPTH).setSeed(1);
        PipelineModel gbt = new Pipeline().setStages(new PipelineStage[] {
                new StringIndexer().setInputCol("mailbox_provider").setOutputCol("provider_index").setHandleInvalid("keep"),
                assembler(List.of("provider_index", "hour", "weekday")), trees}).fit(training);
        candidates.add(new Candidate("gradient_boosted_trees", Candidate.spark(gbt), parameters(Map.of("iterations", GBT_ITERATIONS, "max_depth", GBT_DEPTH,
                "categorical", "indexed: mailbox_provider; numeric: hour, weekday (recipient_domain left out)")),
                measure(gbt.transform(test), label, "rawPrediction"), baselines));
        return candidates;
    }

    /**
     * The recipient-history baseline, and a fallback score where no model is promoted: history smoothed toward
     * {@code rate}, at most 1 (the facts count opens and clicks as events, several to a message at times).
     */
    static org.apache.spark.sql.Column recipientHistory(Label label, double rate) {
        return least(lit(1.0), col(label.priorCount).plus(PRIOR_SENDS * rate).divide(col("prior_sends").plus(PRIOR_SENDS)));
    }

    private static VectorAssembler assembler(List<String> categorical) {
        List<String> inputs = new ArrayList<>(EngagementData.NUMERIC);
        inputs.addAll(categorical);
        return new VectorAssembler().setInputCols(inputs.toArray(String[]::new)).setOutputCol("features");
    }

    private static Map<String, Object> parameters(Map<String, Object> own) {
        Map<String, Object> parameters = new LinkedHashMap<>(own);
        parameters.put("features", String.join(", ", EngagementData.NUMERIC) + ", " + String.join(", ", EngagementData.CATEGORICAL));
        return parameters;
    }

    private static Map<String, Double> measure(Dataset<Row> scored, Label label, String scoreColumn) {
        BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator().setLabelCol(label.column).setRawPredictionCol(scoreColumn);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("roc_auc", evaluator.setMetricName("areaUnderROC").evaluate(scored));
        metrics.put("pr_auc", evaluator.setMetricName("areaUnderPR").evaluate(scored));
        return metrics;
    }
}
