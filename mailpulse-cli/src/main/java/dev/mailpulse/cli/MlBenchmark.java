package dev.mailpulse.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.DSLContext;

import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.SendTimes;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.tasks.TaskLauncher;
import dev.mailpulse.traffic.Agreement;
import dev.mailpulse.traffic.GroundTruth;
import dev.mailpulse.traffic.Structure;

/**
 * {@code bench-ml}: the whole model training (the ml-train task, through the task launcher, Spark {@code local[*]}) over
 * growing spans of one workspace's stored history, timed from launch to exit; the registry's metrics of the largest.
 */
final class MlBenchmark {

    /** One timed run: the span it read, the sends and campaigns it learnt from and was tested on, its time, its models. */
    record Result(int historyDays, long sends, long campaigns, Duration time, List<ModelRegistry.Model> models) {
    }

    /**
     * The models against what the generator planted: of the domains with {@link #MIN_DOMAIN_SENDS} sends or more, how
     * many have their planted preferred hour as the hour of their best hour of week; and the adjusted Rand index of the
     * campaign clusters against the planted styles (none before a clustering was promoted).
     */
    record Recovery(long recovered, long domains, List<String> found, Optional<Double> clusterAgreement, int clusters) {
    }

    /** The domains the send-time recovery is judged on: those with this many sends or more. */
    static final long MIN_DOMAIN_SENDS = 2_000;

    private final TaskLauncher launcher;
    private final DSLContext db;
    private final PrintStream out;

    MlBenchmark(TaskLauncher launcher, DSLContext db, PrintStream out) {
        this.launcher = launcher;
        this.db = db;
        this.out = out;
    }

    Result run(String workspace, int historyDays) throws Exception {
        UUID id = new Workspaces(db).find(workspace).orElseThrow(() -> new IllegalArgumentException("no workspace named " + workspace)).id();
        out.printf("ml-train over the last %d days of %s ...%n", historyDays, workspace);
        Instant started = Instant.now();
        TaskLauncher.Outcome outcome = launcher.run("ml-train", List.of("--workspace", workspace, "--mailpulse.ml.history-days=" + historyDays),
                line -> {
                    if (line.contains("WorkspaceTasklet")) {
                        out.println("  " + line.substring(line.lastIndexOf(" : ") + 3));
                    }
                });
        Duration time = Duration.between(started, Instant.now());
        if (!outcome.completed()) {
            throw new IllegalStateException("ml-train failed with exit code " + outcome.exitCode());
        }
        List<ModelRegistry.Model> models = new ModelRegistry(db).list(id).stream().filter(m -> !m.trainedAt().isBefore(started)).toList();
        long sends = rows(models, ModelRegistry.ENGAGEMENT_CLICK);
        long campaigns = rows(models, ModelRegistry.CAMPAIGN_CLICK_RATE);
        out.printf("  %,d sends and %,d campaigns learnt from and tested on, in %.1f s%n", sends, campaigns, time.toMillis() / 1000.0);
        return new Result(historyDays, sends, campaigns, time, models);
    }

    /** The promoted send-time model's domains against the planted hours of the ground truth. */
    Recovery recovery(String workspace, GroundTruth truth) {
        UUID id = new Workspaces(db).find(workspace).orElseThrow(() -> new IllegalArgumentException("no workspace named " + workspace)).id();
        Map<String, Integer> planted = truth.preferredHours().stream().collect(Collectors.toMap(GroundTruth.PreferredHour::domain,
                GroundTruth.PreferredHour::hour));
        List<SendTimes.Segment> domains = new SendTimes(db).segments(id, "domain").stream()
                .filter(d -> d.sends() >= MIN_DOMAIN_SENDS && planted.containsKey(d.segment())).toList();
        List<String> found = domains.stream().map(d -> String.format(Locale.ROOT, "%s %02d:00 (planted %02d:00)", d.segment(), d.bestHourOfDay(),
                planted.get(d.segment()))).toList();
        Map<String, Integer> members = new CampaignClusters(db).members(id);
        Map<String, Integer> styles = truth.qualities().stream().filter(q -> q.workspace().equals(id) && members.containsKey(q.campaign()))
                .collect(Collectors.toMap(GroundTruth.Quality::campaign, GroundTruth.Quality::style));
        return new Recovery(domains.stream().filter(d -> d.bestHourOfDay() == planted.get(d.segment())).count(), domains.size(), found,
                styles.size() < 2 ? Optional.empty() : Optional.of(Agreement.adjustedRandIndex(styles, members)), (int) members.values().stream().distinct().count());
    }

    private static long rows(List<ModelRegistry.Model> models, String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst().map(m -> m.trainingRows() + m.testRows()).orElse(0L);
    }

    static void report(Path file, List<Result> results, Optional<Recovery> recovery, String about) throws IOException {
        StringBuilder body = new StringBuilder("""
                ## The model training (`bin/mailpulse bench-ml`)

                The whole ml-train task (a process of its own, launched as the scheduler launches it; Spark `local[*]` on this
                machine's cores, `spark.sql.shuffle.partitions=4`, the driver's heap `-Xmx3g`) over growing spans of one workspace's
                history: the generator's traffic back-filled through the pipeline, the daily ETL over its days, then the training of
                the span, timed from launch to exit (reading, features, both engagement models and both campaign models with their
                baselines, saving them, scoring every recipient, forecasting, the send-time model and every recipient's send time, the
                daily forecasts' backtests, the campaign clusters and the recommendations). Target: 1,000,000 sends in under 3 minutes.

                """);
        body.append(about).append("\n\n| history read | sends (training + test) | completed campaigns | time |\n|---|---:|---:|---:|\n");
        for (Result result : results) {
            body.append(String.format(Locale.ROOT, "| %d days | %,d | %,d | %.1f s |%n", result.historyDays(), result.sends(), result.campaigns(),
                    result.time().toMillis() / 1000.0));
        }
        Result largest = results.get(results.size() - 1);
        List<Result> trained = results.stream().filter(r -> r.sends() > 0).toList();
        if (results.size() > trained.size()) {
            body.append("\nA span with 0 sends had too few before its split (the last quarter, less a 3-day window): nothing was trained, the "
                    + "time is the task's start, its reads and the campaigns' check.\n");
        }
        if (trained.size() >= 2 && largest.sends() > trained.get(0).sends()) {
            Result smallest = trained.get(0);
            double perSend = (largest.time().toMillis() - smallest.time().toMillis()) / (double) (largest.sends() - smallest.sends());
            body.append(String.format(Locale.ROOT, "%nHow it grows: %.3f ms a send more, from a fixed %.0f s (the JVM, Spark's start, the "
                    + "models' fixed iterations), between the smallest and the largest span that trained.%n", perSend,
                    (smallest.time().toMillis() - perSend * smallest.sends()) / 1000.0));
        }
        body.append("\nThe models of the largest run, each measured on the rows later in time than its training rows, beside its baselines on "
                + "the same rows (ROC AUC and PR AUC of a human click or open within 3 days of a send; mean absolute error of a campaign's "
                + "final human click rate and revenue; log loss and Brier score of the human click rate by send time; mean absolute scaled "
                + "error of the daily forecasts over every origin of the backtest; silhouette of the later campaigns' clusters):\n\n| model | algorithm | training / test rows | metrics | baselines | verdict |\n"
                + "|---|---|---:|---|---|---|\n");
        for (ModelRegistry.Model model : largest.models()) {
            body.append(String.format(Locale.ROOT, "| %s v%d | %s | %,d / %,d | %s | %s | %s |%n", model.name(), model.version(), model.algorithm(),
                    model.trainingRows(), model.testRows(), ModelRegistry.printed(model.metrics()), ModelRegistry.printedBaselines(model.baselineMetrics()),
                    model.promoted() ? "promoted" : "not promoted"));
        }
        recovery.ifPresent(r -> body.append(String.format(Locale.ROOT, "%nThe send-time model's best hour of each domain with %,d sends or more "
                + "against the hour the generator planted (its ground truth's `preferred_hours`): %d of %d found (target: 80%%). %s.%n",
                MIN_DOMAIN_SENDS, r.recovered(), r.domains(), String.join("; ", r.found()))));
        recovery.flatMap(Recovery::clusterAgreement).ifPresent(agreement -> body.append(String.format(Locale.ROOT, "%nThe campaign clusters against "
                + "the generator's %d planted styles: %d clusters, adjusted Rand index %.3f.%n", Structure.STYLES, recovery.get().clusters(), agreement)));
        BenchmarksFile.replaceSection(file, "ml", body.toString());
    }
}
