package dev.mailpulse.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.etl.job.DailyEtl;
import dev.mailpulse.etl.job.EtlRequest;
import dev.mailpulse.ml.job.MlTrain;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.ml.Recommendations;
import dev.mailpulse.storage.ml.SendTimes;
import dev.mailpulse.storage.ml.TrainingRuns;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.traffic.Agreement;

/**
 * The model training on three weeks of the generator's history, after the daily ETL, as the nightly run does it: the
 * registry holds every candidate with its baselines on the same later test rows; the promoted engagement models beat
 * the better baseline's ROC AUC by at least 0.03 and the campaign click-rate forecast the naive forecast's MAE; the
 * scores found the recipients the generator made engaged; the running campaigns are forecast.
 */
@SpringBootTest(classes = MlTrainingTest.Jobs.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {"spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=always",
        "spring.jooq.sql-dialect=postgres", "mailpulse.ml.spark.spark.master=local[2]", "mailpulse.ml.history-days=30",
        "mailpulse.ml.send-time-min-recipient-sends=" + MlTrainingTest.MIN_RECIPIENT_SENDS, "mailpulse.ml.forecast-min-days=14"})
class MlTrainingTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres()
            .preparedWith(database -> SchemaMigrator.migrate(database.jdbcUrl(), database.user(), database.password()));

    @TempDir
    static Path models;

    /** The ETL's job and the training's; the enrich stage, its stream support and the live cache are on the class path only for the history's events. */
    @SpringBootApplication(excludeName = {"dev.mailpulse.enrich.EnrichAutoConfiguration", "dev.mailpulse.livecache.LiveCacheAutoConfiguration",
            "dev.mailpulse.stream.StreamSupportAutoConfiguration"})
    static class Jobs {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("mailpulse.ml.model-directory", () -> models.toString());
    }

    static final int MIN_RECIPIENT_SENDS = 7;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final int DAYS = 21;

    @Autowired
    DailyEtl etl;
    @Autowired
    MlTrain mlTrain;
    @Autowired
    DSLContext db;

    /** Made once for the class's tests (the database and Spring's context live as long). */
    private static Workspaces.Workspace shop;
    private static GeneratedHistory history;

    @BeforeEach
    void threeWeeksOfHistoryProcessedByTheEtlThenTrainedOn() throws Exception {
        if (shop != null) {
            return;
        }
        shop = new Workspaces(db).create("ml-shop", PARIS.getId(), false).workspace();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        history = GeneratedHistory.store(db, shop, 20261204, now.minus(Duration.ofDays(DAYS)), now, 9_000);
        LocalDate today = LocalDate.ofInstant(now, PARIS);
        assertThat(etl.run(new EtlRequest(Optional.of(today.minusDays(DAYS + 1)), Optional.of(today.minusDays(1)), Optional.of("ml-shop")))
                .getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(mlTrain.run(new MlTrain.Request(Optional.of("ml-shop"), Optional.empty())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void thePromotedEngagementModelsBeatTheBetterBaselineOnLaterSends() {
        ModelRegistry registry = new ModelRegistry(db);
        for (String name : List.of(ModelRegistry.ENGAGEMENT_CLICK, ModelRegistry.ENGAGEMENT_OPEN)) {
            List<ModelRegistry.Model> versions = registry.list(shop.id()).stream().filter(m -> m.name().equals(name)).toList();
            assertThat(versions).extracting(ModelRegistry.Model::algorithm).containsExactlyInAnyOrder("logistic_regression", "gradient_boosted_trees");
            ModelRegistry.Model promoted = registry.promoted(shop.id(), name).orElseThrow();
            double betterBaseline = promoted.baselineMetrics().values().stream().mapToDouble(m -> m.get("roc_auc")).max().orElseThrow();
            assertThat(promoted.metrics().get("roc_auc")).as(name + ": " + promoted.verdict()).isGreaterThanOrEqualTo(betterBaseline + 0.03);
            assertThat(promoted.baselineMetrics()).containsOnlyKeys("global_rate", "recipient_history");
            assertThat(promoted.metrics()).containsOnlyKeys("roc_auc", "pr_auc");
            assertThat(promoted.dataFrom()).isBefore(promoted.splitAt());
            assertThat(promoted.splitAt()).isBefore(promoted.dataTo());
            assertThat(promoted.trainingRows()).isGreaterThan(promoted.testRows());
            assertThat(Path.of(promoted.modelPath()).resolve("metadata")).isDirectory();
            assertThat(versions).filteredOn(m -> !m.promoted()).singleElement().satisfies(m -> assertThat(m.verdict()).startsWith("not promoted"));
        }
    }

    /** The run as the console's jobs page reads it from the job repository: this workspace's step and what it did. */
    @Test
    void theRunIsInTheJobRepositoryWithWhatItDidForTheWorkspace() {
        List<TrainingRuns.Run> runs = new TrainingRuns(db, "batch_").recent("ml-shop", PARIS.getId(), 5);
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo("COMPLETED");
            assertThat(run.asked()).isEqualTo("this workspace");
            assertThat(run.workspaceStatus()).contains("COMPLETED");
            assertThat(run.outcome().orElseThrow()).contains("engagement_click v", "scores: ", "forecasts: ");
        });
        assertThat(new TrainingRuns(db, "batch_").recent("another-shop", PARIS.getId(), 5)).as("a run for another workspace").isEmpty();
    }

    @Test
    void theCampaignForecastBeatsTheWorkspaceAverageAndRunningCampaignsAreForecast() {
        ModelRegistry registry = new ModelRegistry(db);
        ModelRegistry.Model clickRate = registry.promoted(shop.id(), ModelRegistry.CAMPAIGN_CLICK_RATE).orElseThrow();
        assertThat(clickRate.metrics().get("mae")).as(clickRate.verdict())
                .isLessThan(clickRate.baselineMetrics().get("workspace_average").get("mae"));
        assertThat(registry.list(shop.id())).filteredOn(m -> m.name().equals(ModelRegistry.CAMPAIGN_REVENUE)).hasSize(2)
                .allSatisfy(m -> assertThat(m.baselineMetrics()).containsOnlyKeys("workspace_average"));
        List<Predictions.Forecast> forecasts = new Predictions(db).forecasts(shop.id());
        assertThat(forecasts).isNotEmpty().allSatisfy(forecast -> {
            assertThat(forecast.humanClickRate()).isPresent();
            assertThat(forecast.clickModelVersion()).contains(clickRate.version());
            assertThat(forecast.startedAt()).isAfter(Instant.now().minus(Duration.ofDays(1)).minus(Duration.ofHours(1)));
            assertThat(forecast.currency()).isPresent();
        });
    }

    /** The likeliest clickers are the recipients the generator made engaged: the scores learnt the planted propensity. */
    @Test
    void theScoresRankTheRecipientsByThePlantedPropensity() {
        Predictions predictions = new Predictions(db);
        Predictions.Scoring scoring = predictions.scoring(shop.id()).orElseThrow();
        assertThat(scoring.clickModelVersion()).isPresent();
        assertThat(scoring.recipients()).isGreaterThan(10_000);
        List<Predictions.Score> scores = predictions.scores(shop.id(), Optional.empty(), (int) scoring.recipients());
        assertThat(scores).hasSize((int) scoring.recipients()).isSortedAccordingTo((a, b) -> Double.compare(b.clickProbability(), a.clickProbability()));
        Map<Boolean, Double> meanByEngaged = scores.stream().filter(s -> s.priorSends() > 0).collect(java.util.stream.Collectors.partitioningBy(
                s -> history.simulation.structure().propensity(history.addressOfHash.get(s.recipientHash())) >= 1.6,
                java.util.stream.Collectors.averagingDouble(Predictions.Score::clickProbability)));
        // The data is generated up to now, so it differs from run to run. With the campaign styles planted (lower mean quality, so fewer
        // clicks in a recipient's short history) 1.085 was seen once in a fresh-clone CI; 1.24 to 1.31 before them. Without any signal the
        // ratio is 1.
        assertThat(meanByEngaged.get(true)).as("the most engaged fifth's mean score against the others'").isGreaterThan(1.05 * meanByEngaged.get(false));
        Predictions.Score page = scores.get(99);
        assertThat(predictions.scores(shop.id(), Optional.of(page), 5)).containsExactlyElementsOf(scores.subList(100, 105));
        assertThat(Files.isDirectory(models.resolve(shop.id().toString()))).isTrue();
    }

    /**
     * The send-time model beat the baselines that ignore the time of sending on later sends, found the preferred hour the
     * generator planted for at least 80% of the domains with 2,000 sends or more, and gave every recipient a time: its
     * own where it had enough sends, else its domain's.
     */
    @Test
    void theSendTimesRecoverEachDomainsPlantedHour() {
        ModelRegistry.Model model = new ModelRegistry(db).promoted(shop.id(), ModelRegistry.SEND_TIME).orElseThrow();
        assertThat(model.baselineMetrics()).containsOnlyKeys("segment_rate", "global_rate");
        assertThat(model.metrics().get("log_loss")).as(model.verdict()).isLessThan(model.baselineMetrics().get("segment_rate").get("log_loss"));
        SendTimes sendTimes = new SendTimes(db);
        List<SendTimes.Segment> domains = sendTimes.segments(shop.id(), "domain").stream().filter(s -> s.sends() >= 2_000).toList();
        assertThat(domains.size()).isGreaterThanOrEqualTo(8);
        List<String> found = domains.stream().map(s -> s.segment() + " " + s.bestHourOfDay() + "h, planted "
                + history.simulation.structure().preferredHour(s.segment()) + "h").toList();
        long recovered = domains.stream().filter(s -> s.bestHourOfDay() == history.simulation.structure().preferredHour(s.segment()))
                .count();
        System.out.printf("send times: the planted hour recovered for %d of %d domains: %s%n", recovered, domains.size(), found);
        assertThat(recovered).as(found.toString()).isGreaterThanOrEqualTo((long) Math.ceil(0.8 * domains.size()));
        assertThat(domains).allSatisfy(s -> {
            assertThat(s.modelVersion()).isEqualTo(model.version());
            assertThat(s.lift()).isBetween(s.liftLow(), s.liftHigh());
            assertThat(s.hourLifts()).hasSize(24);
            assertThat(s.weekdayLifts()).hasSize(7);
        });
        assertThat(sendTimes.segments(shop.id(), "provider")).extracting(SendTimes.Segment::segment).contains("gmail", "microsoft");
        List<SendTimes.RecipientTime> recipients = sendTimes.recipients(shop.id(), Optional.empty(), 100_000);
        assertThat(recipients.size()).isGreaterThan(10_000);
        assertThat(recipients).extracting(SendTimes.RecipientTime::basis).contains("recipient", "domain");
        assertThat(recipients).allSatisfy(r -> assertThat(r.basis().equals("recipient")).isEqualTo(r.sends() >= MIN_RECIPIENT_SENDS));
        assertThat(sendTimes.recipients(shop.id(), Optional.of(recipients.get(99).recipientHash()), 3)).containsExactlyElementsOf(recipients.subList(100, 103));
    }

    /**
     * The daily forecasts of sends and human clicks, backtested on the three weeks' days against the seasonal-naive
     * forecast (their accuracy on nine weeks is DailySeriesModelTest's): each recorded; a promoted one forecasts the 14
     * days after the last processed day, inside its intervals.
     */
    @Test
    void theDailySeriesAreBacktestedAndThePromotedOnesForecastTheNextTwoWeeks() {
        ModelRegistry registry = new ModelRegistry(db);
        LocalDate lastProcessed = db.fetchOne("SELECT max(day) FROM daily_campaign_facts WHERE workspace_id = ?::uuid", shop.id().toString())
                .get(0, LocalDate.class);
        for (Map.Entry<String, String> series : DailyForecasts.MODEL_OF_SERIES.entrySet()) {
            ModelRegistry.Model model = registry.list(shop.id()).stream().filter(m -> m.name().equals(series.getValue())).findFirst().orElseThrow();
            assertThat(model.metrics()).containsOnlyKeys("mase", "mae");
            assertThat(model.baselineMetrics()).containsOnlyKeys("seasonal_naive");
            assertThat(model.testRows()).isGreaterThan(model.parameters().size());
            Optional<DailyForecasts.Forecast> forecast = new DailyForecasts(db).forecast(shop.id(), series.getKey());
            assertThat(forecast.isPresent()).as(model.verdict()).isEqualTo(model.promoted());
            forecast.ifPresent(f -> {
                assertThat(f.days()).hasSize(14);
                assertThat(f.days().get(0).day()).isEqualTo(lastProcessed.plusDays(1));
                assertThat(f.days()).allSatisfy(day -> assertThat(day.forecast()).isBetween(day.low95(), day.high95()).isPositive());
            });
        }
    }

    /**
     * The campaign clusters found the generator's planted styles (adjusted Rand index at least 0.5), beat the naive
     * open-rate bands on the later campaigns if promoted, and each cluster says what sets it apart.
     */
    @Test
    void theCampaignClustersRecoverThePlantedStyles() {
        ModelRegistry.Model model = new ModelRegistry(db).list(shop.id()).stream().filter(m -> m.name().equals(ModelRegistry.CAMPAIGN_CLUSTERS))
                .findFirst().orElseThrow();
        assertThat(model.baselineMetrics()).containsOnlyKeys("open_rate_bands");
        assertThat(model.promoted()).as(model.verdict()).isTrue();
        CampaignClusters clusters = new CampaignClusters(db);
        Map<String, Integer> members = clusters.members(shop.id());
        Map<String, Integer> planted = new java.util.HashMap<>();
        members.keySet().forEach(campaign -> planted.put(campaign, history.simulation.style(campaign)));
        double agreement = Agreement.adjustedRandIndex(planted, members);
        System.out.printf("campaign clusters: %d campaigns in %d clusters, adjusted Rand index %.3f against the planted styles (%s; %s)%n",
                members.size(), model.parameters().get("k"), agreement, model.verdict(), model.parameters().get("training_silhouette_by_k"));
        assertThat(agreement).as(model.verdict()).isGreaterThanOrEqualTo(0.5);
        assertThat(clusters.clusters(shop.id())).hasSize((Integer) model.parameters().get("k")).allSatisfy(cluster -> {
            assertThat(cluster.modelVersion()).isEqualTo(model.version());
            assertThat(cluster.centre()).containsOnlyKeys(CampaignClusterModel.KPIS);
            assertThat(cluster.description()).isNotBlank();
        });
        assertThat(clusters.clusters(shop.id()).stream().mapToInt(CampaignClusters.Cluster::campaigns).sum()).isEqualTo(members.size());
    }

    /** The suggestions made from what the training found: the planted send hours of the providers, the recipients who never engage. */
    @Test
    void theRecommendationsComeWithTheirEvidence() {
        List<Recommendations.Recommendation> made = new Recommendations(db).list(shop.id(), Optional.empty());
        assertThat(made).extracting(r -> r.advice().kind()).contains("send_hour", "suppress_unengaged");
        assertThat(made).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Recommendations.Status.OPEN);
            assertThat(r.advice().title()).isNotBlank();
            assertThat(r.advice().evidence()).isNotBlank();
            assertThat(r.advice().expectedEffect()).isNotBlank();
        });
        assertThat(made).filteredOn(r -> r.advice().kind().equals("send_hour")).allSatisfy(r -> assertThat(r.advice().title()).contains("at "));
    }
}
