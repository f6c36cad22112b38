package dev.mailpulse.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.events.StoredEvents;
import dev.mailpulse.storage.readmodel.Breakdowns;
import dev.mailpulse.storage.readmodel.Dimension;
import dev.mailpulse.storage.readmodel.ReadModel;
import dev.mailpulse.storage.readmodel.Resolution;

/**
 * Measures the read-model queries the console and API make, over a database holding many events: it fills the
 * database through the real write path (inserts that fire the read model's maintenance), then times each query many
 * times with random workspaces, campaigns and ranges, and reports percentiles.
 */
final class QueryBenchmark {

    static final int WORKSPACES = 20;
    static final int CAMPAIGNS = 50;
    static final int DAYS = 30;
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    private static final int ROWS_PER_STATEMENT = 100_000;

    private final DataSource dataSource;
    private final PrintStream out;

    QueryBenchmark(DataSource dataSource, PrintStream out) {
        this.dataSource = dataSource;
        this.out = out;
    }

    record Result(String query, int runs, double p50, double p95, double p99, double max) {
    }

    /** Adds events until the store holds {@code target}; prints progress. */
    void fill(long target) {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        long present = db.fetchCount(DSL.table("events"));
        long started = System.nanoTime();
        for (long from = present; from < target; from += ROWS_PER_STATEMENT) {
            long to = Math.min(target, from + ROWS_PER_STATEMENT) - 1;
            db.execute("""
                    INSERT INTO events (event_id, occurred_at, received_at, workspace_id, event_type, schema_version, source,
                                        campaign_id, message_id, recipient_hash, recipient_domain, mailbox_provider, automated, attributes)
                    SELECT gen_random_uuid(), t, t, ('00000000-0000-4000-8000-' || lpad((g % {0})::text, 12, '0'))::uuid,
                           type, 1, 'api', 'campaign-' || (g / 7 % {1}), '<m' || (g / 3) || '@bench>', md5((g % 200000)::text),
                           'example.com', (ARRAY['gmail','microsoft','yahoo','apple','corporate','other'])[1 + g % 6],
                           type IN ('email.open', 'email.click') AND g % 5 = 0,
                           CASE WHEN type = 'email.bounce' THEN '{"bounce_kind":"hard"}'::jsonb ELSE '{}'::jsonb END
                    FROM (SELECT g, timestamptz '2026-10-01 00:00:00+00' + (g::double precision / {2} * {3}) * interval '1 day' AS t,
                                 (ARRAY['email.send','email.send','email.deliver','email.deliver','email.open','email.open',
                                        'email.click','email.bounce','email.reply','email.unsubscribe'])[1 + (g * 7919) % 10] AS type
                          FROM generate_series({4}::bigint, {5}::bigint) g) s
                    ON CONFLICT DO NOTHING""",
                    DSL.inline(WORKSPACES), DSL.inline(CAMPAIGNS), DSL.inline(target), DSL.inline(DAYS), DSL.inline(from), DSL.inline(to));
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("  %,d / %,d events stored (%,.0f events/s)%n", to + 1, target, (to + 1 - present) / seconds);
        }
        db.execute("VACUUM ANALYZE");
    }

    List<Result> run(int runs, long seed) {
        Random random = new Random(seed);
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        List<Result> results = new ArrayList<>();
        results.add(time("campaign time series, hourly, 7 days", runs, () -> {
            Instant from = day(random, 23);
            model(db, random).timeSeries(Resolution.HOUR, from, from.plus(7, ChronoUnit.DAYS), Optional.of(campaign(random)), ZoneOffset.UTC);
        }));
        results.add(time("campaign time series, by minute, 6 hours", runs, () -> {
            Instant from = day(random, 29).plus(random.nextInt(18), ChronoUnit.HOURS);
            model(db, random).timeSeries(Resolution.MINUTE, from, from.plus(6, ChronoUnit.HOURS), Optional.of(campaign(random)), ZoneOffset.UTC);
        }));
        results.add(time("workspace time series, daily, 30 days", runs, () ->
                model(db, random).timeSeries(Resolution.DAY, START, START.plus(DAYS, ChronoUnit.DAYS), Optional.empty(), ZoneOffset.UTC)));
        ZoneId paris = ZoneId.of("Europe/Paris");
        Instant parisStart = START.atZone(paris).toLocalDate().plusDays(1).atStartOfDay(paris).toInstant();
        results.add(time("workspace time series, daily in Europe/Paris (from hours), 28 days", runs, () ->
                model(db, random).timeSeries(Resolution.DAY, parisStart, parisStart.plus(28, ChronoUnit.DAYS), Optional.empty(), paris)));
        results.add(time("campaign breakdown by mailbox provider, 30 days", runs, () ->
                breakdowns(db, random).by(Dimension.MAILBOX_PROVIDER, START, START.plus(DAYS, ChronoUnit.DAYS), Optional.of(campaign(random)), 100)));
        results.add(time("campaign breakdown by recipient domain, 7 days", runs, () -> {
            Instant from = day(random, 23);
            breakdowns(db, random).by(Dimension.RECIPIENT_DOMAIN, from, from.plus(7, ChronoUnit.DAYS), Optional.of(campaign(random)), 100);
        }));
        results.add(time("workspace deliverability by mailbox provider, 7 days", runs, () -> {
            Instant from = day(random, 23);
            breakdowns(db, random).deliverability(Dimension.MAILBOX_PROVIDER, from, from.plus(7, ChronoUnit.DAYS), Optional.empty());
        }));
        results.add(time("campaign raw events, newest 100 of a day", runs, () -> {
            Instant from = day(random, 29);
            new StoredEvents(db, workspace(random)).page(new StoredEvents.Filter(Optional.of(campaign(random)), Optional.empty(), Optional.empty()),
                    from, from.plus(1, ChronoUnit.DAYS), Optional.empty(), 100);
        }));
        results.add(time("campaign totals and rates (unique openers from the raw store), 7 days", runs, () -> {
            Instant from = day(random, 23);
            model(db, random).totals(from, from.plus(7, ChronoUnit.DAYS), Optional.of(campaign(random)));
        }));
        return results;
    }

    private Result time(String query, int runs, Runnable once) {
        for (int i = 0; i < Math.min(20, runs); i++) {
            once.run(); // warm-up: connections, plans, caches
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            once.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        Result result = new Result(query, runs, percentile(millis, 50), percentile(millis, 95), percentile(millis, 99), millis[runs - 1]);
        out.printf("  %-75s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", query, result.p50(), result.p95(), result.p99(), result.max());
        return result;
    }

    /** Writes (or replaces) the read-model section of BENCHMARKS.md. */
    static void report(Path file, long events, String engine, List<Result> results, Duration fillTime, Consumer<String> log) throws IOException {
        StringBuilder section = new StringBuilder();
        section.append("## Read-model queries over ").append(String.format("%,d", events)).append(" stored events\n\n");
        section.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(engine)
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". ").append(WORKSPACES).append(" workspaces × ").append(CAMPAIGNS)
                .append(" campaigns over ").append(DAYS).append(" days");
        if (fillTime != null) {
            section.append("; loaded through the real write path in ").append(fillTime.toSeconds()).append(" s");
        }
        section.append(". Each query runs ").append(results.get(0).runs()).append(" times after a warm-up, with random workspaces, ")
                .append("campaigns and ranges. Reproduce: `bin/mailpulse bench-queries --events ").append(events).append("`.\n\n");
        section.append("| query | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            section.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f |%n", r.query(), r.p50(), r.p95(), r.p99(), r.max()));
        }
        BenchmarksFile.replaceSection(file, "read-model-queries", section.toString());
        log.accept("Wrote " + file);
    }

    private static ReadModel model(DSLContext db, Random random) {
        return new ReadModel(db, workspace(random));
    }

    private static Breakdowns breakdowns(DSLContext db, Random random) {
        return new Breakdowns(db, workspace(random));
    }

    private static UUID workspace(Random random) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", random.nextInt(WORKSPACES)));
    }

    private static String campaign(Random random) {
        return "campaign-" + random.nextInt(CAMPAIGNS);
    }

    private static Instant day(Random random, int lastStart) {
        return START.plus(random.nextInt(lastStart), ChronoUnit.DAYS);
    }

    private static double percentile(double[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
