package dev.mailpulse.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.spark.ml.PipelineModel;

import dev.mailpulse.core.json.WireJson;

/**
 * A model fitted on the training rows and measured on the later test rows, beside its baselines on the same rows.
 *
 * @param model           how the fitted model is saved at its path in the registry
 * @param metrics         the model's, by name ({@code roc_auc}, {@code pr_auc}; {@code mae}; or {@code log_loss}, {@code brier})
 * @param baselineMetrics each baseline's, by baseline
 */
record Candidate(String algorithm, Saver model, Map<String, Object> parameters, Map<String, Double> metrics,
                 Map<String, Map<String, Double>> baselineMetrics) {

    /** Saves a fitted model under a path, replacing what was there. */
    interface Saver {
        void saveTo(String path) throws IOException;
    }

    /** A Spark ML pipeline, saved by Spark ML persistence. */
    static Saver spark(PipelineModel model) {
        return path -> model.write().overwrite().save(path);
    }

    /** A model that is its numbers, saved as JSON ({@code model.json} under the path). */
    static Saver json(Object model) {
        return path -> Files.writeString(Files.createDirectories(Path.of(path)).resolve("model.json"), WireJson.MAPPER.writeValueAsString(model));
    }
}
