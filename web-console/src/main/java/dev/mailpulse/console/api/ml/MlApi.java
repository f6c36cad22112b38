package dev.mailpulse.console.api.ml;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Cursors;
import dev.mailpulse.console.api.Freshness;
import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.api.Tabular;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.ml.SendTimes;
import dev.mailpulse.storage.readmodel.ReadModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * What the nightly model training leaves for the workspace: the model registry (every version with its metrics and
 * its baselines' on the same later test rows; the promoted one is what predicts), each recipient's engagement scores
 * and best send time (JSON or CSV, a page at a time, so that a sending system can act on them), the send-time profiles
 * of providers and domains, a running campaign's forecast, the next days' forecast of the workspace's daily sends
 * and human clicks, and the campaigns' clusters.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "ml", description = "the model registry, recipients' engagement scores and send times, campaign and daily forecasts, campaign clusters, from the nightly training")
class MlApi {

    /** A model as the registry lists it (where it is saved stays on the server). */
    record ModelItem(String name, int version, String algorithm, Instant trainedAt, Instant dataFrom, Instant splitAt, Instant dataTo,
                     long trainingRows, long testRows, Map<String, Object> parameters, Map<String, Double> metrics,
                     Map<String, Map<String, Double>> baselineMetrics, boolean promoted, String verdict) {
    }

    record Models(List<ModelItem> items) {
    }

    record ScoreItem(String recipientHash, double clickProbability, double openProbability, long priorSends, long priorHumanClicks,
                     long priorHumanOpens) {
    }

    /** A page of scores, and how they were made (null before the first scoring). */
    record Scores(List<ScoreItem> items, String next, Predictions.Scoring scoring, Freshness freshness) implements Tabular {
    }

    /** A campaign's forecast, null when it is not running (or not yet forecast). */
    record ForecastAnswer(String campaignId, Predictions.Forecast forecast) {
    }

    /** The send-time profiles of a kind of segment, the most sends first. */
    record SendTimeSegments(String kind, List<SendTimes.Segment> items) {
    }

    /** A page of recipients' best hours of week. */
    record RecipientSendTimes(List<SendTimes.RecipientTime> items, String next, Freshness freshness) implements Tabular {
    }

    /** A daily series' forecast: its days with their intervals, the model version and when it was made (null before the first). */
    record DailyForecastAnswer(String series, Integer modelVersion, Instant madeAt, List<DailyForecasts.Day> items, Freshness freshness)
            implements Tabular {
    }

    /** A cluster of campaigns with its members' ids. */
    record ClusterItem(int cluster, int modelVersion, int campaigns, String description, Map<String, Double> centre, Map<String, Double> deviations,
                       List<String> campaignIds) {
    }

    record Clusters(List<ClusterItem> items) {
    }

    /** The most scores, or recipients' send times, a page may hold. */
    static final int MAX_SCORES = 10_000;

    private final DSLContext db;
    private final Analytics analytics;

    MlApi(DSLContext db, Analytics analytics) {
        this.db = db;
        this.analytics = analytics;
    }

    @GetMapping("/ml/models")
    @Operation(summary = "The model registry: every model trained for the workspace, newest version first, with its data range (every "
            + "test row later than every training row), its metrics and its baselines' metrics on the same test rows; the promoted "
            + "version of a name is the one that predicts, and a version is promoted only if it beat its best baseline")
    Models models(@AuthenticationPrincipal ApiCaller caller) {
        return new Models(new ModelRegistry(db).list(caller.workspaceId()).stream()
                .map(m -> new ModelItem(m.name(), m.version(), m.algorithm(), m.trainedAt(), m.dataFrom(), m.splitAt(), m.dataTo(), m.trainingRows(),
                        m.testRows(), m.parameters(), m.metrics(), m.baselineMetrics(), m.promoted(), m.verdict()))
                .toList());
    }

    @GetMapping("/ml/engagement-scores")
    @Operation(summary = "Each recipient's probability of a human click and of a human open within 3 days of a send at the workspace's "
            + "usual hour, by the promoted engagement models (or the recipient's smoothed history where none is promoted), the likeliest "
            + "clickers first, a page at a time; Accept: text/csv for CSV")
    Scores scores(@AuthenticationPrincipal ApiCaller caller,
                  @Parameter(description = "the next page's cursor, from the page before") @RequestParam(required = false) String cursor,
                  @Parameter(description = "the most recipients on the page, 1 to 10000") @RequestParam(defaultValue = "1000") int limit) {
        checkLimit(limit);
        Optional<Predictions.Score> after = Cursors.read(cursor).map(MlApi::afterScore);
        Predictions predictions = new Predictions(db);
        List<Predictions.Score> page = predictions.scores(caller.workspaceId(), after, limit + 1);
        List<ScoreItem> items = page.stream().limit(limit).map(s -> new ScoreItem(s.recipientHash(), s.clickProbability(), s.openProbability(),
                s.priorSends(), s.priorHumanClicks(), s.priorHumanOpens())).toList();
        String next = page.size() > limit ? Cursors.of(items.get(limit - 1).clickProbability() + " " + items.get(limit - 1).recipientHash()) : null;
        return new Scores(items, next, predictions.scoring(caller.workspaceId()).orElse(null), analytics.freshness(caller.workspaceId()));
    }

    @GetMapping("/ml/send-times")
    @Operation(summary = "When each mailbox provider's (kind=provider) or recipient domain's (kind=domain) sends get the most human "
            + "clicks, by the promoted send-time model: the click rate, its lifts by local hour of day and by weekday (Monday first), the "
            + "best hours of the week (Monday 00:00 in the workspace's time zone is 0) and the expected lift of sending at the best one, "
            + "with its 95% interval")
    SendTimeSegments sendTimes(@AuthenticationPrincipal ApiCaller caller,
                               @Parameter(description = "provider or domain") @RequestParam(defaultValue = "domain") String kind) {
        if (!SendTimes.SEGMENT_KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind: one of " + String.join(", ", SendTimes.SEGMENT_KINDS) + ", not " + kind);
        }
        return new SendTimeSegments(kind, new SendTimes(db).segments(caller.workspaceId(), kind));
    }

    @GetMapping("/ml/recipient-send-times")
    @Operation(summary = "Each recipient's best hour of the week to send (Monday 00:00 in the workspace's time zone is 0) and the human "
            + "click rate expected then: from its own sends where it has enough (basis recipient), else its domain's (basis domain); by "
            + "recipient hash, a page at a time; Accept: text/csv for CSV")
    RecipientSendTimes recipientSendTimes(@AuthenticationPrincipal ApiCaller caller,
                                          @Parameter(description = "the next page's cursor, from the page before") @RequestParam(required = false) String cursor,
                                          @Parameter(description = "the most recipients on the page, 1 to 10000") @RequestParam(defaultValue = "1000") int limit) {
        checkLimit(limit);
        List<SendTimes.RecipientTime> page = new SendTimes(db).recipients(caller.workspaceId(), Cursors.read(cursor), limit + 1);
        List<SendTimes.RecipientTime> items = page.subList(0, Math.min(limit, page.size()));
        return new RecipientSendTimes(items, page.size() > limit ? Cursors.of(items.get(limit - 1).recipientHash()) : null,
                analytics.freshness(caller.workspaceId()));
    }

    @GetMapping("/ml/daily-forecasts")
    @Operation(summary = "The forecast of the workspace's daily sends (series=sent) or human clicks (series=human_clicks) for the days "
            + "after the last processed one, in the workspace's time zone, with 80% and 95% intervals from the backtest's own errors, by the "
            + "promoted model (one that beat the seasonal-naive forecast's MASE on a rolling-origin backtest); Accept: text/csv for CSV")
    DailyForecastAnswer dailyForecasts(@AuthenticationPrincipal ApiCaller caller,
                                       @Parameter(description = "sent or human_clicks") @RequestParam(defaultValue = "sent") String series) {
        if (!DailyForecasts.MODEL_OF_SERIES.containsKey(series)) {
            throw new IllegalArgumentException("series: one of " + String.join(", ", new java.util.TreeSet<>(DailyForecasts.MODEL_OF_SERIES.keySet()))
                    + ", not " + series);
        }
        Optional<DailyForecasts.Forecast> forecast = new DailyForecasts(db).forecast(caller.workspaceId(), series);
        return new DailyForecastAnswer(series, forecast.map(DailyForecasts.Forecast::modelVersion).orElse(null),
                forecast.map(DailyForecasts.Forecast::madeAt).orElse(null), forecast.map(DailyForecasts.Forecast::days).orElse(List.of()),
                analytics.freshness(caller.workspaceId()));
    }

    @GetMapping("/ml/campaign-clusters")
    @Operation(summary = "The workspace's completed campaigns grouped by their KPI profiles (human open and click rates, click to open, "
            + "unsubscribe rate) by the promoted clustering, the largest group first: each with its members, its centre, "
            + "how far the centre is from every campaign's mean in standard deviations, and what sets it apart in words")
    Clusters campaignClusters(@AuthenticationPrincipal ApiCaller caller) {
        CampaignClusters clusters = new CampaignClusters(db);
        Map<String, Integer> members = clusters.members(caller.workspaceId());
        return new Clusters(clusters.clusters(caller.workspaceId()).stream().map(c -> new ClusterItem(c.cluster(), c.modelVersion(), c.campaigns(),
                c.description(), c.centre(), c.deviations(), members.entrySet().stream().filter(m -> m.getValue() == c.cluster()).map(Map.Entry::getKey)
                        .toList())).toList());
    }

    @GetMapping("/campaigns/{campaignId}/forecast")
    @Operation(summary = "A running campaign's final human click rate and revenue forecast from its first hours by the promoted campaign "
            + "models, beside the naive forecast (the workspace's average over its completed campaigns); forecast is null for a campaign "
            + "that is not running")
    ForecastAnswer forecast(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId) {
        if (!new ReadModel(db, caller.workspaceId()).hasCampaign(campaignId)) {
            throw new NotInWorkspace("campaign " + campaignId);
        }
        return new ForecastAnswer(campaignId, new Predictions(db).forecast(caller.workspaceId(), campaignId).orElse(null));
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_SCORES) {
            throw new IllegalArgumentException("limit: 1 to " + MAX_SCORES + ", not " + limit);
        }
    }

    /** The score a cursor points after: its click probability and recipient hash. */
    private static Predictions.Score afterScore(String key) {
        String[] parts = key.split(" ", 2);
        try {
            return new Predictions.Score(parts[1], Double.parseDouble(parts[0]), 0, 0, 0, 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor: not a cursor this API gave out");
        }
    }
}
