package dev.mailpulse.console.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.ml.SendTimes;

/**
 * What the models page shows, computed here so that the template only prints: each model name's promoted version
 * against its baselines on the same test rows (a bar each, scaled to the largest), every version trained, the
 * latest scoring with the likeliest clickers, the running campaigns' forecasts, the providers' and domains' send
 * times, the next days' forecasts of the workspace's sends and human clicks, and the campaigns' clusters.
 */
record ModelsView(List<Name> names, List<Version> versions, Optional<Predictions.Scoring> scoring,
                  List<Predictions.Score> likeliestClickers, List<Predictions.Forecast> forecasts, List<SendTime> domainSendTimes,
                  List<SendTime> providerSendTimes, List<DailyForecasts.Forecast> dailyForecasts,
                  List<Cluster> clusters) {

    /** How many of the likeliest clickers the page lists (the API pages through all of them). */
    static final int CLICKERS_SHOWN = 10;

    /** A model name: its promoted version (if one beat its baselines) and the comparison bars of its metric, described. */
    record Name(String name, String metric, String measured, Optional<ModelRegistry.Model> promoted, List<Bar> bars) {
    }

    /**
     * A provider's or domain's send times: its best hours of the week named in the workspace's time zone, the expected
     * lift with its interval, and its hours of day as a heat strip.
     */
    record SendTime(SendTimes.Segment segment, String bestHours, String lift, List<HourCell> hours) {
    }

    /** A cluster of campaigns and its members (the first {@link #MEMBERS_SHOWN} of them). */
    record Cluster(CampaignClusters.Cluster cluster, List<String> members) {

        /** How far the centre's KPI is from the average campaign's, signed, in standard deviations. */
        public String deviation(String kpi) {
            return String.format(Locale.ROOT, "%+.1f sd", cluster.deviations().get(kpi));
        }
    }

    /** How many of a cluster's campaigns the page names (the API lists all). */
    static final int MEMBERS_SHOWN = 8;

    /** One hour of day's lift, in one of five levels (1: well below the segment's rate, 5: well above). */
    record HourCell(int hour, double lift, int level) {

        public String label() {
            return String.format(Locale.ROOT, "%02d:00 ×%.2f", hour, lift);
        }
    }

    /** A version as the registry's table lists it: its metrics and its best baseline's, printed. */
    record Version(ModelRegistry.Model model, String metrics, String baselines) {
    }

    /** One bar: the model's or a baseline's value of the metric, and its length relative to the largest (0 to 100). */
    record Bar(String label, double value, double length, boolean model) {

        public String formatted() {
            return String.format(Locale.ROOT, value < 10 ? "%.4f" : "%,.2f", value);
        }
    }

    /** The model names in the order the page shows them. */
    private static final List<String> NAMES = List.of(ModelRegistry.ENGAGEMENT_CLICK, ModelRegistry.ENGAGEMENT_OPEN, ModelRegistry.CAMPAIGN_CLICK_RATE,
            ModelRegistry.CAMPAIGN_REVENUE, ModelRegistry.SEND_TIME, ModelRegistry.DAILY_SENT, ModelRegistry.DAILY_HUMAN_CLICKS,
            ModelRegistry.CAMPAIGN_CLUSTERS);
    /** The metric each is promoted by. */
    private static final Map<String, String> METRIC = Map.of(ModelRegistry.ENGAGEMENT_CLICK, "roc_auc", ModelRegistry.ENGAGEMENT_OPEN, "roc_auc",
            ModelRegistry.CAMPAIGN_CLICK_RATE, "mae", ModelRegistry.CAMPAIGN_REVENUE, "mae", ModelRegistry.SEND_TIME, "log_loss",
            ModelRegistry.DAILY_SENT, "mase", ModelRegistry.DAILY_HUMAN_CLICKS, "mase", ModelRegistry.CAMPAIGN_CLUSTERS, "silhouette");
    private static final Map<String, String> MEASURED = Map.of("roc_auc", "ROC AUC on later sends (higher is better)",
            "mae", "mean absolute error on later campaigns (lower is better)", "log_loss", "log loss of the click rate on later sends (lower is better)",
            "mase", "mean absolute scaled error on later days, rolling origins (lower is better)",
            "silhouette", "silhouette of the later campaigns (higher is better)");
    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    static ModelsView of(DSLContext db, UUID workspace) {
        ModelRegistry registry = new ModelRegistry(db);
        List<ModelRegistry.Model> versions = registry.list(workspace);
        List<Name> names = new ArrayList<>();
        for (String name : NAMES) {
            String metric = METRIC.get(name);
            Optional<ModelRegistry.Model> shown = versions.stream().filter(m -> m.name().equals(name) && m.promoted()).findFirst()
                    .or(() -> versions.stream().filter(m -> m.name().equals(name)).findFirst());
            names.add(new Name(name, metric, MEASURED.get(metric), shown.filter(ModelRegistry.Model::promoted), shown.map(m -> bars(m, metric))
                    .orElse(List.of())));
        }
        Predictions predictions = new Predictions(db);
        List<Version> rows = versions.stream()
                .map(m -> new Version(m, ModelRegistry.printed(m.metrics()), ModelRegistry.printedBaselines(m.baselineMetrics()))).toList();
        SendTimes sendTimes = new SendTimes(db);
        return new ModelsView(names, rows, predictions.scoring(workspace), predictions.scores(workspace, Optional.empty(), CLICKERS_SHOWN),
                predictions.forecasts(workspace), sendTimes.segments(workspace, "domain").stream().map(ModelsView::sendTime).toList(),
                sendTimes.segments(workspace, "provider").stream().map(ModelsView::sendTime).toList(),
                DailyForecasts.MODEL_OF_SERIES.keySet().stream().sorted(Comparator.reverseOrder())
                        .flatMap(series -> new DailyForecasts(db).forecast(workspace, series).stream()).toList(),
                clusters(new CampaignClusters(db), workspace));
    }

    private static List<Cluster> clusters(CampaignClusters clusters, UUID workspace) {
        Map<String, Integer> members = clusters.members(workspace);
        return clusters.clusters(workspace).stream().map(c -> new Cluster(c, members.entrySet().stream().filter(m -> m.getValue() == c.cluster())
                .map(Map.Entry::getKey).limit(MEMBERS_SHOWN).toList())).toList();
    }

    private static SendTime sendTime(SendTimes.Segment segment) {
        String best = String.join(", ", segment.bestHoursOfWeek().stream()
                .map(h -> String.format(Locale.ROOT, "%s %02d:00", WEEKDAYS[h / 24], h % 24)).toList());
        String lift = String.format(Locale.ROOT, "%+.0f%% (%+.0f%% to %+.0f%%)", 100 * segment.lift(), 100 * segment.liftLow(), 100 * segment.liftHigh());
        List<HourCell> hours = new ArrayList<>();
        for (int hour = 0; hour < segment.hourLifts().size(); hour++) {
            double value = segment.hourLifts().get(hour);
            hours.add(new HourCell(hour, value, value < 0.8 ? 1 : value < 0.95 ? 2 : value <= 1.05 ? 3 : value <= 1.3 ? 4 : 5));
        }
        return new SendTime(segment, best, lift, hours);
    }

    private static List<Bar> bars(ModelRegistry.Model model, String metric) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(model.algorithm().replace('_', ' ') + " v" + model.version(), model.metrics().get(metric));
        model.baselineMetrics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put("baseline: " + e.getKey().replace('_', ' '), e.getValue().get(metric)));
        double largest = values.values().stream().max(Comparator.naturalOrder()).orElse(1.0);
        List<Bar> bars = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<String, Double> value : values.entrySet()) {
            bars.add(new Bar(value.getKey(), value.getValue(), largest > 0 ? 100 * value.getValue() / largest : 0, first));
            first = false;
        }
        return bars;
    }
}
