package dev.mailpulse.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;

import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.traffic.GroundTruth;
import dev.mailpulse.traffic.GroundTruthCheck;
import dev.mailpulse.traffic.LiveCounters;
import dev.mailpulse.traffic.TrafficRun;

/** {@code mailpulse generate} (the traffic generator) and {@code mailpulse check} (the stored data against its truth). */
final class TrafficCommand {

    static final String USAGE = """
              generate [--rate EVENTS_PER_SECOND] [--duration SECONDS] [--seed N] [--workspaces N] [--truth FILE]
                       [--collector URL] [--webhook-percent P] [--connections N] [--new-workspaces]
                                     send a simulated sending business's events to the collector, P% of deliveries,
                                     opens and clicks (default 10) through the Mailgun and SendGrid webhooks, signed;
                                     to the workspaces traffic-1..N, made by the first run and reused by the next (each
                                     run sends new campaigns, so history accumulates), or with --new-workspaces to
                                     workspaces of the run's own; write the ground truth to FILE (default
                                     ground-truth.json). Start a run once the one before is stored (check passes): the
                                     truth adds to what the read model held when it started
              check FILE [--redis-prefix P] [--no-redis]
                                     compare the read model and the live counters in Redis (MAILPULSE_REDIS_URL, keys
                                     under P, default mp:) with a ground-truth file, bucket by bucket
            """;

    private final DSLContext db;
    private final PrintStream out;

    TrafficCommand(DSLContext db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    int generate(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--rate", "--duration", "--seed", "--workspaces", "--truth", "--collector",
                "--webhook-percent", "--connections"), Set.of("--new-workspaces"));
        options.expectPositionals(0);
        int webhookPercent = Integer.parseInt(options.value("--webhook-percent", "10"));
        if (webhookPercent < 0 || webhookPercent > 100) {
            throw new Options.UsageException("--webhook-percent takes a whole number from 0 to 100");
        }
        TrafficRun run = new TrafficRun(URI.create(options.value("--collector", "http://127.0.0.1:8081")), options.positive("--rate", 200),
                Duration.ofSeconds(options.positive("--duration", 30)), Long.parseLong(options.value("--seed", "1")),
                options.positive("--workspaces", 3), webhookPercent, options.positive("--connections", 8), options.flag("--new-workspaces"));
        Path truthFile = Path.of(options.value("--truth", "ground-truth.json"));
        run.run(new Workspaces(db), db, out).write(truthFile);
        out.printf("The ground truth is in %s%n", truthFile);
        return 0;
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
                out.printf("%,d of %,d buckets equal the ground truth in the live counters (Redis); %,d events expected, %,d counted%n",
                        result.liveMatching(), result.buckets(), result.expectedEvents(), result.liveEvents());
            }
            out.printf("%,d of %,d buckets (workspace × campaign × type × hour) equal the ground truth in the read model; "
                    + "%,d events expected, %,d counted%n", result.matching(), result.buckets(), result.expectedEvents(), result.storedEvents());
            return result.matches() ? 0 : 1;
        } finally {
            live.ifPresent(LiveCounters::close);
        }
    }
}
