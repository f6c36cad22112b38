package dev.mailpulse.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;

import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.traffic.GroundTruth;
import dev.mailpulse.traffic.GroundTruthCheck;
import dev.mailpulse.traffic.LiveCounters;
import dev.mailpulse.traffic.Simulation;
import dev.mailpulse.traffic.TrafficRun;

/** {@code mailpulse generate} (the traffic generator) and {@code mailpulse check} (the stored data against its truth). */
final class TrafficCommand {

    static final String USAGE = """
              generate [--rate EVENTS_PER_SECOND] [--duration SECONDS] [--seed N] [--workspaces N] [--truth FILE]
                       [--collector URL] [--webhook-percent P] [--connections N] [--new-workspaces]
                       [--history-days N [--start YYYY-MM-DD] [--history-events-per-day N]]
                       [--scenario complaint-burst [--provider gmail|microsoft|yahoo|apple]]
                                     send a simulated sending business's events to the collector, P% of deliveries,
                                     opens and clicks (default 10) through the Mailgun and SendGrid webhooks, signed;
                                     to the workspaces traffic-1..N (each made by the first run in a time zone of its
                                     own: Europe/Paris, America/New_York, Asia/Kathmandu, Australia/Sydney, UTC, in
                                     turn) and reused by the next (each run sends new campaigns, so history
                                     accumulates), or with --new-workspaces to workspaces of the run's own; with
                                     --history-days, first back-fill N days (the N days before now, or N days from
                                     --start) through the history import at full speed, N events a day (default
                                     20,000); write the ground truth to FILE (default ground-truth.json). Start a run
                                     once the one before is stored (check passes): the truth adds to what the read
                                     model held when it started. --scenario complaint-burst: 5% of the deliveries at
                                     the provider (default yahoo) complained about in the live part's first minute, the
                                     burst the Gmail/Yahoo alert preset catches (it resolves once the burst has left
                                     the preset's 15-minute window: run 20 minutes, --duration 1200, to watch both)
              check FILE [--redis-prefix P] [--no-redis]
                                     compare the read model, the live counters in Redis (MAILPULSE_REDIS_URL, keys
                                     under P, default mp:) for the last 47 hours, and the daily ETL's facts of the days
                                     it has processed with a ground-truth file, bucket by bucket
            """;

    private final DSLContext db;
    private final PrintStream out;

    TrafficCommand(DSLContext db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    int generate(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--rate", "--duration", "--seed", "--workspaces", "--truth", "--collector",
                "--webhook-percent", "--connections", "--history-days", "--start", "--history-events-per-day", "--scenario", "--provider"),
                Set.of("--new-workspaces"));
        options.expectPositionals(0);
        int webhookPercent = Integer.parseInt(options.value("--webhook-percent", "10"));
        if (webhookPercent < 0 || webhookPercent > 100) {
            throw new Options.UsageException("--webhook-percent takes a whole number from 0 to 100");
        }
        TrafficRun run = new TrafficRun(URI.create(options.value("--collector", "http://127.0.0.1:8081")), options.positive("--rate", 200),
                Duration.ofSeconds(options.positive("--duration", 30)), Long.parseLong(options.value("--seed", "1")),
                options.positive("--workspaces", 3), webhookPercent, options.positive("--connections", 8), options.flag("--new-workspaces"),
                history(options), complaintBurst(options));
        Path truthFile = Path.of(options.value("--truth", "ground-truth.json"));
        run.run(new Workspaces(db), db, out).write(truthFile);
        out.printf("The ground truth is in %s%n", truthFile);
        return 0;
    }

    /** The scenario asked for: the complaint burst is the one there is, at the provider given. */
    private static Optional<String> complaintBurst(Options options) {
        String scenario = options.value("--scenario", null);
        if (scenario == null) {
            if (options.value("--provider", null) != null) {
                throw new Options.UsageException("--provider goes with --scenario complaint-burst");
            }
            return Optional.empty();
        }
        if (!scenario.equals("complaint-burst")) {
            throw new Options.UsageException("--scenario: the scenario there is is complaint-burst, not " + scenario);
        }
        String provider = options.value("--provider", "yahoo");
        try {
            new Simulation.ComplaintBurst(provider, Instant.EPOCH, Instant.EPOCH, 0);
        } catch (IllegalArgumentException unknown) {
            throw new Options.UsageException("--provider: " + unknown.getMessage());
        }
        return Optional.of(provider);
    }

    /** The back-fill asked for: {@code --start} and {@code --history-events-per-day} go with {@code --history-days}. */
    private static Optional<TrafficRun.History> history(Options options) {
        if (options.value("--history-days", null) == null) {
            if (options.value("--start", null) != null || options.value("--history-events-per-day", null) != null) {
                throw new Options.UsageException("--start and --history-events-per-day go with --history-days");
            }
            return Optional.empty();
        }
        Optional<LocalDate> start = Optional.ofNullable(options.value("--start", null)).map(date -> {
            try {
                return LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                throw new Options.UsageException("--start takes a date as YYYY-MM-DD, was " + date);
            }
        });
        if (start.isPresent() && start.get().isAfter(LocalDate.now(ZoneOffset.UTC))) {
            throw new Options.UsageException("--start: " + start.get() + " has not begun yet");
        }
        return Optional.of(new TrafficRun.History(options.positive("--history-days", 1), start, options.positive("--history-events-per-day", 20_000)));
    }

    int check(List<String> args, String redisUrl) throws Exception {
        Options options = Options.parse(args, Set.of("--redis-prefix"), Set.of("--no-redis"));
        options.expectPositionals(1);
        GroundTruth truth = GroundTruth.read(Path.of(options.positional(0, "FILE")));
        Optional<LiveCounters> live = options.flag("--no-redis") ? Optional.empty()
                : Optional.of(new LiveCounters(redisUrl, options.value("--redis-prefix", "mp:")));
        try {
            GroundTruthCheck.Result result = GroundTruthCheck.check(db, live, truth);
            for (GroundTruthCheck.Difference difference : result.differences()) {
                GroundTruth.Bucket bucket = difference.bucket();
                out.printf("  differs: %s %s %s %s expected %d, read model %d, live counters %s%n", bucket.workspace(), bucket.campaign(),
                        bucket.type(), bucket.hour(), bucket.count(), difference.readModel(), difference.live().map(String::valueOf).orElse("-"));
            }
            if (result.liveChecked()) {
                out.printf("%,d of the %,d buckets of the last %d hours equal the ground truth in the live counters (Redis); %,d events "
                        + "expected, %,d counted%n", result.liveMatching(), result.liveBuckets(), GroundTruthCheck.LIVE_HORIZON.toHours(),
                        result.liveExpected(), result.liveEvents());
            }
            out.printf("%,d of %,d buckets (workspace × campaign × type × hour) equal the ground truth in the read model; "
                    + "%,d events expected, %,d counted%n", result.matching(), result.buckets(), result.expectedEvents(), result.storedEvents());
            GroundTruthCheck.DaysResult days = GroundTruthCheck.checkDays(db, truth);
            for (GroundTruthCheck.DayDifference difference : days.differences()) {
                GroundTruth.DayBucket bucket = difference.bucket();
                out.printf("  differs: %s %s %s %s expected %d, daily facts %d%n", bucket.workspace(), bucket.day(), bucket.campaign(), bucket.type(),
                        bucket.count(), difference.facts());
            }
            out.printf("%,d of %,d workspace-local days processed by the daily ETL; %,d of their %,d counts (campaign × type) equal the "
                    + "ground truth%n", days.processed(), days.days(), days.matching(), days.buckets());
            GroundTruthCheck.BusinessResult business = GroundTruthCheck.checkBusiness(db, truth);
            business.differences().forEach(difference -> out.printf("  differs: %s%n", difference));
            out.printf("%,d attributed days: %,d of their revenue credits (campaign × method × currency) equal the ground truth; "
                    + "%,d campaign costs and %,d campaigns' lifetime KPIs and benchmark ranks compared%s; %,d differences%n", business.days(),
                    business.credits() - business.differences().stream().filter(d -> d.startsWith("attribution")).count(), business.costs(),
                    business.campaigns(), business.notRanked() == 0 ? ""
                            : " (ranks not compared in " + business.notRanked() + " workspaces, which hold campaigns of other runs)",
                    business.differences().size());
            GroundTruthCheck.TrendsResult trends = GroundTruthCheck.checkTrends(db, truth);
            trends.differences().forEach(difference -> out.printf("  differs: %s%n", difference));
            out.printf("%,d of %,d trend values (day, 7 and 28 days, week over week, of volume, conversions and the rates of counts) equal "
                    + "the ground truth%n", trends.compared() - trends.differences().size(), trends.compared());
            return result.matches() && days.matches() && business.matches() && trends.differences().isEmpty() ? 0 : 1;
        } finally {
            live.ifPresent(LiveCounters::close);
        }
    }
}
