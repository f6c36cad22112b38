package dev.mailpulse.storage.ml;

import static dev.mailpulse.storage.jooq.Tables.ML_MODELS;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.core.type.TypeReference;

/**
 * The model registry of one database: every model ml-train trained, per workspace, with the data it learnt from and
 * was tested on, its parameters and metrics, and its baselines' metrics on the same test rows. A model is promoted
 * only if it beat its best baseline; the promoted version of a name is the one predictions come from.
 */
public final class ModelRegistry {

    /** The engagement models: a human click, a human open, within the engagement window of a send. */
    public static final String ENGAGEMENT_CLICK = "engagement_click";
    public static final String ENGAGEMENT_OPEN = "engagement_open";
    /** The campaign forecasts from a campaign's first hours: its final human click rate and its revenue. */
    public static final String CAMPAIGN_CLICK_RATE = "campaign_click_rate";
    public static final String CAMPAIGN_REVENUE = "campaign_revenue";
    /** The send-time model: human clicks per send by segment, local hour of day and weekday. */
    public static final String SEND_TIME = "send_time";
    /** The daily forecasts of a workspace's sends and human clicks. */
    public static final String DAILY_SENT = "daily_sent";
    public static final String DAILY_HUMAN_CLICKS = "daily_human_clicks";
    /** The campaigns grouped by their KPI profiles. */
    public static final String CAMPAIGN_CLUSTERS = "campaign_clusters";

    /**
     * One trained model as the registry keeps it.
     *
     * @param dataFrom        the first training row's time
     * @param splitAt         the first test row's time: every test row is later than every training row
     * @param dataTo          the end of the test rows
     * @param metrics         on the test rows ({@code roc_auc}, {@code pr_auc}; or {@code mae})
     * @param baselineMetrics each baseline's metrics on the same rows, by baseline
     */
    public record Model(String name, int version, String algorithm, Instant trainedAt, Instant dataFrom, Instant splitAt, Instant dataTo,
                        long trainingRows, long testRows, Map<String, Object> parameters, Map<String, Double> metrics,
                        Map<String, Map<String, Double>> baselineMetrics, boolean promoted, String verdict, String modelPath) {

        public Model {
            parameters = Map.copyOf(new LinkedHashMap<>(parameters));
            metrics = Map.copyOf(metrics);
            baselineMetrics = Map.copyOf(baselineMetrics);
        }
    }

    private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Map<String, Double>>> BASELINES = new TypeReference<>() {
    };

    private final DSLContext db;

    public ModelRegistry(DSLContext db) {
        this.db = db;
    }

    /** The version the next model of this name gets. */
    public int nextVersion(UUID workspace, String name) {
        Integer latest = db.select(org.jooq.impl.DSL.max(ML_MODELS.VERSION)).from(ML_MODELS)
                .where(ML_MODELS.WORKSPACE_ID.eq(workspace), ML_MODELS.NAME.eq(name)).fetchOne(0, Integer.class);
        return latest == null ? 1 : latest + 1;
    }

    /** Records a model; a promoted one takes the place of the version promoted before it, in one transaction. */
    public void record(UUID workspace, Model model) {
        db.transaction(tx -> {
            if (model.promoted()) {
                tx.dsl().update(ML_MODELS).set(ML_MODELS.PROMOTED, false)
                        .where(ML_MODELS.WORKSPACE_ID.eq(workspace), ML_MODELS.NAME.eq(model.name()), ML_MODELS.PROMOTED.isTrue()).execute();
            }
            tx.dsl().insertInto(ML_MODELS).set(ML_MODELS.WORKSPACE_ID, workspace).set(ML_MODELS.NAME, model.name())
                    .set(ML_MODELS.VERSION, model.version()).set(ML_MODELS.ALGORITHM, model.algorithm())
                    .set(ML_MODELS.TRAINED_AT, model.trainedAt().atOffset(ZoneOffset.UTC))
                    .set(ML_MODELS.DATA_FROM, model.dataFrom().atOffset(ZoneOffset.UTC))
                    .set(ML_MODELS.SPLIT_AT, model.splitAt().atOffset(ZoneOffset.UTC))
                    .set(ML_MODELS.DATA_TO, model.dataTo().atOffset(ZoneOffset.UTC))
                    .set(ML_MODELS.TRAINING_ROWS, model.trainingRows()).set(ML_MODELS.TEST_ROWS, model.testRows())
                    .set(ML_MODELS.PARAMETERS, json(model.parameters())).set(ML_MODELS.METRICS, json(model.metrics()))
                    .set(ML_MODELS.BASELINE_METRICS, json(model.baselineMetrics())).set(ML_MODELS.PROMOTED, model.promoted())
                    .set(ML_MODELS.VERDICT, model.verdict()).set(ML_MODELS.MODEL_PATH, model.modelPath()).execute();
        });
    }

    /** The workspace's models, by name, newest version first. */
    public List<Model> list(UUID workspace) {
        return db.selectFrom(ML_MODELS).where(ML_MODELS.WORKSPACE_ID.eq(workspace)).orderBy(ML_MODELS.NAME, ML_MODELS.VERSION.desc())
                .fetch(ModelRegistry::model);
    }

    /** The promoted version of a name, if one beat its baselines. */
    public Optional<Model> promoted(UUID workspace, String name) {
        return db.selectFrom(ML_MODELS).where(ML_MODELS.WORKSPACE_ID.eq(workspace), ML_MODELS.NAME.eq(name), ML_MODELS.PROMOTED.isTrue())
                .fetchOptional(ModelRegistry::model);
    }

    /** Metrics as people read them: by name, four decimals (two, grouped, from 10 up: an error in money). */
    public static String printed(Map<String, Double> metrics) {
        return metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(java.util.Locale.ROOT, e.getValue() < 10 ? "%s %.4f" : "%s %,.2f", e.getKey().replace('_', ' '), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** Each baseline's metrics, printed: {@code global rate: roc auc 0.5000, ...; recipient history: ...}. */
    public static String printedBaselines(Map<String, Map<String, Double>> baselines) {
        return baselines.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey().replace('_', ' ') + ": " + printed(e.getValue()))
                .reduce((a, b) -> a + "; " + b).orElse("");
    }

    private static Model model(Record row) {
        return new Model(row.get(ML_MODELS.NAME), row.get(ML_MODELS.VERSION), row.get(ML_MODELS.ALGORITHM),
                row.get(ML_MODELS.TRAINED_AT).toInstant(), row.get(ML_MODELS.DATA_FROM).toInstant(), row.get(ML_MODELS.SPLIT_AT).toInstant(),
                row.get(ML_MODELS.DATA_TO).toInstant(), row.get(ML_MODELS.TRAINING_ROWS), row.get(ML_MODELS.TEST_ROWS),
                WireJson.MAPPER.readValue(row.get(ML_MODELS.PARAMETERS).data(), PARAMETERS),
                WireJson.MAPPER.readValue(row.get(ML_MODELS.METRICS).data(), METRICS),
                WireJson.MAPPER.readValue(row.get(ML_MODELS.BASELINE_METRICS).data(), BASELINES), row.get(ML_MODELS.PROMOTED),
                row.get(ML_MODELS.VERDICT), row.get(ML_MODELS.MODEL_PATH));
    }

    private static JSON json(Object value) {
        return JSON.valueOf(WireJson.MAPPER.writeValueAsString(value));
    }
}
