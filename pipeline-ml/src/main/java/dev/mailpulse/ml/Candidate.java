package dev.mailpulse.ml;

import java.util.Map;

import org.apache.spark.ml.PipelineModel;

/**
 * A model fitted on the training rows and measured on the later test rows, beside its baselines on the same rows.
 *
 * @param metrics         the model's, by name ({@code roc_auc}, {@code pr_auc}; or {@code mae})
 * @param baselineMetrics each baseline's, by baseline
 */
record Candidate(String algorithm, PipelineModel model, Map<String, Object> parameters, Map<String, Double> metrics,
                 Map<String, Map<String, Double>> baselineMetrics) {
}
