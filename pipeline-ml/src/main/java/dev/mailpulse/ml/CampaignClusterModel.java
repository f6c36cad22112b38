package dev.mailpulse.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.mailpulse.storage.ml.CampaignClusters;

/**
 * The workspace's campaigns grouped by their KPI profiles: k-means on the standardised logarithms of the lifetime KPIs
 * (rates differ by factors: a campaign whose readers unsubscribe four times as often is as far from the usual as one
 * whose readers do a quarter as often), k (2 to 6) chosen
 * by the silhouette of the earlier campaigns, measured by the silhouette of the later campaigns placed by the model,
 * beside a naive grouping of the same later campaigns into as many bands of the human open rate (cut where the earlier
 * campaigns' quantiles fall). Each cluster is described by the KPIs its centre stands out on.
 */
final class CampaignClusterModel {

    static final String ALGORITHM = "k_means";
    /** The KPIs a campaign's profile is made of, as campaign_lifetime_kpis names them. */
    static final List<String> KPIS = List.of("human_open_rate", "human_click_rate", "click_to_open_rate", "unsubscribe_rate");
    static final int MAX_CLUSTERS = 6;
    private static final long SEED = 20261204;
    /** How far from every campaign's mean, in standard deviations, a centre's KPI is said to set its cluster apart. */
    private static final double STANDS_OUT = 0.5;
    /** Added to a rate before its logarithm, so that a campaign with none of an event (a rate of 0) has a finite one. */
    private static final double LOG_OFFSET = 0.001;

    /** A campaign's profile: its KPIs in the order of {@link #KPIS}. */
    record Campaign(String id, LocalDate firstDay, double[] kpis) {
    }

    /** The chosen model and how it was measured. */
    record Trained(PipelineModel model, Candidate candidate) {
    }

    private CampaignClusterModel() {
    }

    /** Fits k from 2 to {@link #MAX_CLUSTERS} (at most a quarter of the training campaigns) and keeps the best by silhouette. */
    static Trained train(SparkSession spark, List<Campaign> training, List<Campaign> test) {
        Dataset<Row> earlier = frame(spark, training);
        ClusteringEvaluator silhouette = new ClusteringEvaluator().setFeaturesCol("scaled").setPredictionCol("cluster").setMetricName("silhouette");
        Map<String, Double> byK = new TreeMap<>();
        PipelineModel best = null;
        double bestSilhouette = Double.NEGATIVE_INFINITY;
        int bestK = 0;
        for (int k = 2; k <= Math.min(MAX_CLUSTERS, training.size() / 4); k++) {
            PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
                    new VectorAssembler().setInputCols(KPIS.stream().map(kpi -> "log_" + kpi).toArray(String[]::new)).setOutputCol("profile"),
                    new StandardScaler().setInputCol("profile").setOutputCol("scaled").setWithMean(true).setWithStd(true),
                    new KMeans().setK(k).setSeed(SEED).setFeaturesCol("scaled").setPredictionCol("cluster")}).fit(earlier);
            double value = silhouette.evaluate(model.transform(earlier));
            byK.put("k=" + k, value);
            if (value > bestSilhouette) {
                best = model;
                bestSilhouette = value;
                bestK = k;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("too few campaigns to cluster: " + training.size());
        }
        Dataset<Row> later = best.transform(frame(spark, test));
        double modelSilhouette = silhouette.evaluate(later);
        double baselineSilhouette = silhouette.evaluate(later.withColumn("cluster", openRateBand(training, bestK)));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("k", bestK);
        parameters.put("kpis", KPIS);
        parameters.put("training_silhouette_by_k", byK);
        parameters.put("seed", SEED);
        return new Trained(best, new Candidate(ALGORITHM, Candidate.spark(best), parameters, Map.of("silhouette", modelSilhouette),
                Map.of("open_rate_bands", Map.of("silhouette", baselineSilhouette))));
    }

    /** Each campaign's cluster by the model. */
    static Map<String, Integer> assign(SparkSession spark, PipelineModel model, List<Campaign> campaigns) {
        Map<String, Integer> members = new TreeMap<>();
        model.transform(frame(spark, campaigns)).select("campaign_id", "cluster").collectAsList()
                .forEach(row -> members.put(row.getString(0), row.getInt(1)));
        return members;
    }

    /** The clusters of these members: sizes, centres, and what sets each apart from every campaign's mean. */
    static List<CampaignClusters.Cluster> describe(List<Campaign> campaigns, Map<String, Integer> members, int version) {
        int kpis = KPIS.size();
        double[] mean = new double[kpis];
        double[] sd = new double[kpis];
        for (Campaign campaign : campaigns) {
            for (int i = 0; i < kpis; i++) {
                mean[i] += campaign.kpis()[i] / campaigns.size();
            }
        }
        for (Campaign campaign : campaigns) {
            for (int i = 0; i < kpis; i++) {
                sd[i] += Math.pow(campaign.kpis()[i] - mean[i], 2) / Math.max(1, campaigns.size() - 1);
            }
        }
        Arrays.setAll(sd, i -> Math.sqrt(sd[i]));
        Map<Integer, List<Campaign>> byCluster = new TreeMap<>();
        campaigns.forEach(c -> byCluster.computeIfAbsent(members.get(c.id()), k -> new ArrayList<>()).add(c));
        List<CampaignClusters.Cluster> clusters = new ArrayList<>();
        byCluster.forEach((cluster, inCluster) -> {
            Map<String, Double> centre = new LinkedHashMap<>();
            Map<String, Double> deviations = new LinkedHashMap<>();
            for (int i = 0; i < kpis; i++) {
                int kpi = i;
                double value = inCluster.stream().mapToDouble(c -> c.kpis()[kpi]).average().orElseThrow();
                centre.put(KPIS.get(i), value);
                deviations.put(KPIS.get(i), sd[i] > 0 ? (value - mean[i]) / sd[i] : 0);
            }
            clusters.add(new CampaignClusters.Cluster(cluster, version, inCluster.size(), description(deviations), centre, deviations));
        });
        return clusters;
    }

    /** In words: the (up to three) KPIs the centre stands out on the most, or that it stands out on none. */
    static String description(Map<String, Double> deviations) {
        List<String> apart = deviations.entrySet().stream().filter(e -> Math.abs(e.getValue()) >= STANDS_OUT)
                .sorted((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue()))).limit(3)
                .map(e -> String.format(Locale.ROOT, "%s %s (%+.1f sd)", e.getValue() > 0 ? "higher" : "lower", e.getKey().replace('_', ' '),
                        e.getValue()))
                .toList();
        return apart.isEmpty() ? "close to the average campaign on every KPI" : String.join(", ", apart);
    }

    /** The naive grouping: as many bands of the human open rate as clusters, cut at the training campaigns' quantiles. */
    private static Column openRateBand(List<Campaign> training, int bands) {
        int openRate = KPIS.indexOf("human_open_rate");
        double[] rates = training.stream().mapToDouble(c -> c.kpis()[openRate]).sorted().toArray();
        Column band = lit(bands - 1);
        for (int b = bands - 1; b >= 1; b--) {
            band = when(col(KPIS.get(openRate)).lt(rates[rates.length * b / bands]), b - 1).otherwise(band);
        }
        return band;
    }

    private static Dataset<Row> frame(SparkSession spark, List<Campaign> campaigns) {
        StructType schema = new StructType().add("campaign_id", DataTypes.StringType).add("first_day", DataTypes.DateType);
        for (String kpi : KPIS) {
            schema = schema.add(kpi, DataTypes.DoubleType);
        }
        List<Row> rows = new ArrayList<>();
        for (Campaign campaign : campaigns) {
            Object[] values = new Object[2 + KPIS.size()];
            values[0] = campaign.id();
            values[1] = Date.valueOf(campaign.firstDay());
            for (int i = 0; i < KPIS.size(); i++) {
                values[2 + i] = campaign.kpis()[i];
            }
            rows.add(RowFactory.create(values));
        }
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        for (String kpi : KPIS) {
            frame = frame.withColumn("log_" + kpi, log(col(kpi).plus(LOG_OFFSET)));
        }
        return frame;
    }
}
