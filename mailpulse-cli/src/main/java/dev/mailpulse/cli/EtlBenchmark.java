package dev.mailpulse.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.facts.Attribution;
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LocalDay;

/**
 * The daily ETL's cost (not a test): one day of N events for one workspace, for each N asked, then the largest N
 * spread over several workspaces processed two at a time (the job's default concurrency), each day as the job
 * processes it ({@link DailyFacts#process}, in a transaction of its own). The events are loaded straight into the raw
 * store with the read model's trigger switched off, since the ETL reads the raw store only.
 */
final class EtlBenchmark {

    /** The benchmark's day (UTC), far from any other data. */
    static final LocalDate DAY = LocalDate.parse("2026-06-15");
    private static final int ROWS_PER_STATEMENT = 500_000;
    private static final int CAMPAIGNS = 50;
    /** The target: a day of 10 million events of one workspace in under a minute. */
    private static final long TARGET_EVENTS = 10_000_000;
    private static final Duration TARGET = Duration.ofSeconds(60);

    /**
     * One measured run: the events of the day(s), the workspaces, the wall time, the fact rows written, and the time the
     * days' revenue attribution took after them (the default 120-hour click window, the day's clicks and conversions).
     */
    record Result(long events, int workspaces, Duration took, long factRows, Duration attribution) {

        double eventsPerSecond() {
            return events / (took.toNanos() / 1e9);
        }
    }

    private final DataSource dataSource;
    private final PrintStream out;

    EtlBenchmark(DataSource dataSource, PrintStream out) {
        this.dataSource = dataSource;
        this.out = out;
    }

    Result run(long events, int workspaces) throws Exception {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        load(db, events, workspaces);
        List<LocalDay> days = new ArrayList<>();
        for (int w = 0; w < workspaces; w++) {
            days.add(new LocalDay(workspace(w), "bench-" + w, DAY, ZoneOffset.UTC));
        }
        ExecutorService two = Executors.newFixedThreadPool(Math.min(2, workspaces));
        long started = System.nanoTime();
        long factRows = 0;
        try {
            List<Future<DailyFacts.Processed>> processed = new ArrayList<>();
            for (LocalDay day : days) {
                processed.add(two.submit(() -> db.transactionResult(tx -> new DailyFacts(tx.dsl()).process(day, DailyFacts.Reason.ASKED, null))));
            }
            for (Future<DailyFacts.Processed> day : processed) {
                factRows += day.get().factRows();
            }
        } finally {
            two.shutdown();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long attributing = System.nanoTime();
        for (LocalDay day : days) {
            db.transactionResult(tx -> new Attribution(tx.dsl()).attribute(new Attribution.Due(day, 120, null)));
        }
        Result result = new Result(events, workspaces, took, factRows, Duration.ofNanos(System.nanoTime() - attributing));
        out.printf(Locale.ROOT, "  %,d events, %d workspace(s): %.1f s (%,.0f events/s), %,d fact rows; attribution %.1f s%n", events, workspaces,
                result.took().toMillis() / 1000.0, result.eventsPerSecond(), factRows, result.attribution().toMillis() / 1000.0);
        return result;
    }

    /** The day's events, in a sender's shares, {@code events / workspaces} a workspace; the store emptied first. */
    private void load(DSLContext db, long events, int workspaces) {
        db.execute("TRUNCATE events, etl_changes, etl_days, daily_campaign_facts, daily_domain_facts, daily_recipient_facts, campaign_daily_kpis, "
                + "daily_attribution");
        for (int w = 0; w < workspaces; w++) {
            db.execute("INSERT INTO workspaces (workspace_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", workspace(w), "bench-" + w);
        }
        db.execute("ALTER TABLE events DISABLE TRIGGER USER");
        long started = System.nanoTime();
        try {
            for (long from = 0; from < events; from += ROWS_PER_STATEMENT) {
                long to = Math.min(events, from + ROWS_PER_STATEMENT) - 1;
                db.execute("""
                        INSERT INTO events (event_id, occurred_at, received_at, workspace_id, event_type, schema_version, source,
                                            campaign_id, message_id, recipient_hash, recipient_domain, mailbox_provider, automated, attributes)
                        SELECT gen_random_uuid(), t, t, ('00000000-0000-4000-8000-' || lpad(w::text, 12, '0'))::uuid, type, 1, 'api',
                               'campaign-' || (k / 7 % {1}), '<m' || (g / 3) || '@bench>', md5(w || '-' || (k % ({2} / {0} / 4 + 1))),
                               (ARRAY['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'corp' || (k % 40) || '.example',
                                      'mail' || (k % 60) || '.example'])[1 + k % 6],
                               (ARRAY['gmail', 'microsoft', 'yahoo', 'apple', 'corporate', 'other'])[1 + k % 6],
                               type IN ('email.open', 'email.click') AND k % 5 = 0,
                               CASE WHEN type = 'email.bounce' THEN jsonb_build_object('bounce_kind', (ARRAY['hard', 'soft', 'block'])[1 + k % 3])
                                    WHEN type = 'email.conversion' THEN jsonb_build_object('amount', (k % 20000) / 100.0, 'currency', 'EUR')
                                    ELSE '{}'::jsonb END
                        FROM (SELECT g, g % {0} AS w, g / {0} AS k,
                                     {3}::timestamptz + (g::double precision / {2}) * interval '1 day' AS t,
                                     CASE WHEN (g / {0} * 7919) % 100 < 30 THEN 'email.send' WHEN (g / {0} * 7919) % 100 < 59 THEN 'email.deliver'
                                          WHEN (g / {0} * 7919) % 100 < 81 THEN 'email.open' WHEN (g / {0} * 7919) % 100 < 87 THEN 'email.click'
                                          WHEN (g / {0} * 7919) % 100 < 89 THEN 'email.bounce' WHEN (g / {0} * 7919) % 100 < 90 THEN 'email.defer'
                                          WHEN (g / {0} * 7919) % 100 < 92 THEN 'email.reply' WHEN (g / {0} * 7919) % 100 < 93 THEN 'email.unsubscribe'
                                          WHEN (g / {0} * 7919) % 100 < 94 THEN 'email.complaint' ELSE 'email.conversion' END AS type
                              FROM generate_series({4}::bigint, {5}::bigint) g) s""",
                        DSL.inline(workspaces), DSL.inline(CAMPAIGNS), DSL.inline(events), DSL.inline(DAY + " 00:00:00+00"), DSL.inline(from),
                        DSL.inline(to));
            }
        } finally {
            db.execute("ALTER TABLE events ENABLE TRIGGER USER");
        }
        db.execute("ANALYZE events");
        out.printf(Locale.ROOT, "  loaded %,d events in %d s%n", events, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private static UUID workspace(int w) {
        return UUID.fromString("00000000-0000-4000-8000-" + String.format("%012d", w));
    }

    static void report(Path file, String engine, List<Result> results) throws Exception {
        StringBuilder section = new StringBuilder("""
                ## The daily ETL (`bin/mailpulse bench-etl`)

                One workspace-local day processed as the job processes it (`DailyFacts.process`: the day's events read once
                into a temporary table, every fact table recomputed from it, one transaction), over events loaded straight
                into the raw store (%s, this machine, 2 cores); several workspaces' days two at a time, as the job runs
                them by default. Target: a day of 10,000,000 events for one workspace in under 60 s. Then the days' revenue
                attribution (`Attribution.attribute`, a 120-hour click window; 6%% of the events are conversions, 6%% clicks of the
                same recipients), one day after another.

                | events | workspaces | time | events/s | fact rows | attribution |
                |---:|---:|---:|---:|---:|---:|
                """.formatted(engine));
        for (Result result : results) {
            section.append(String.format(Locale.ROOT, "| %,d | %d | %.1f s | %,.0f | %,d | %.1f s |%n", result.events(), result.workspaces(),
                    result.took().toMillis() / 1000.0, result.eventsPerSecond(), result.factRows(), result.attribution().toMillis() / 1000.0));
        }
        results.stream().filter(r -> r.workspaces() == 1 && r.events() == TARGET_EVENTS).findFirst().ifPresent(r -> section.append(String.format(
                Locale.ROOT, "%nThe target: %s (%.1f s for %,d events).%n", r.took().compareTo(TARGET) < 0 ? "met" : "missed, %.1f× over it"
                        .formatted(r.took().toMillis() / (double) TARGET.toMillis()), r.took().toMillis() / 1000.0, r.events())));
        BenchmarksFile.replaceSection(file, "etl", section.toString());
    }
}
