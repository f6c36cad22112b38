package dev.mailpulse.cli;

import static dev.mailpulse.storage.jooq.Tables.ETL_DAYS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.DatabaseSettings;
import dev.mailpulse.storage.events.StoredEvents;
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LocalDay;
import dev.mailpulse.storage.readmodel.Breakdowns;
import dev.mailpulse.storage.readmodel.Dimension;
import dev.mailpulse.storage.readmodel.ReadModel;
import dev.mailpulse.storage.readmodel.Resolution;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * Measures the queries the console and API make, over a database holding many events: it fills the database through
 * the real write path (inserts that fire the read model's maintenance), then times each query many times with random
 * workspaces, campaigns and ranges, through the storage library and, given a console on the same database, as the
 * Analytics API's requests; and reports percentiles.
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

    record Percentiles(double p50, double p95, double p99, double max) {
    }

    /** A query's times through the library and, when a console was asked, through the API (null if not). */
    record Result(String query, int runs, double p50, double p95, double p99, double max, Percentiles api) {
    }

    /** Adds events until the store holds {@code target}; prints progress. */
    void fill(long target) {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        long present = db.fetchCount(DSL.table("events"));
        long started = System.nanoTime();
        for (long from = present; from < target; from += ROWS_PER_STATEMENT) {
            long to = Math.min(target, from + ROWS_PER_STATEMENT) - 1;
            // Event g is workspace g % WORKSPACES's event k = g / WORKSPACES: every workspace has every campaign, type,
            // provider and share of machine opens, in the shares a sender sees (30% sends, 29% deliveries, 22% opens, 6%
            // clicks, 2% bounces, 1% deferrals, 2% replies, 1% unsubscribes, 1% complaints).
            db.execute("""
                    INSERT INTO events (event_id, occurred_at, received_at, workspace_id, event_type, schema_version, source,
                                        campaign_id, message_id, recipient_hash, recipient_domain, mailbox_provider, automated, attributes)
                    SELECT gen_random_uuid(), t, t, ('00000000-0000-4000-8000-' || lpad(w::text, 12, '0'))::uuid,
                           type, 1, 'api', 'campaign-' || (k / 7 % {1}), '<m' || (g / 3) || '@bench>', md5(w || '-' || (k % 10000)),
                           (ARRAY['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'corp' || (k % 40) || '.example',
                                  'mail' || (k % 60) || '.example'])[1 + k % 6],
                           (ARRAY['gmail', 'microsoft', 'yahoo', 'apple', 'corporate', 'other'])[1 + k % 6],
                           type IN ('email.open', 'email.click') AND k % 5 = 0,
                           CASE WHEN type = 'email.bounce' THEN jsonb_build_object('bounce_kind', (ARRAY['hard', 'soft', 'block'])[1 + k % 3])
                                ELSE '{}'::jsonb END
                    FROM (SELECT g, g % {0} AS w, g / {0} AS k,
                                 timestamptz '2026-10-01 00:00:00+00' + (g::double precision / {2} * {3}) * interval '1 day' AS t,
                                 CASE WHEN (g / {0} * 7919) % 100 < 30 THEN 'email.send' WHEN (g / {0} * 7919) % 100 < 59 THEN 'email.deliver'
                                      WHEN (g / {0} * 7919) % 100 < 81 THEN 'email.open' WHEN (g / {0} * 7919) % 100 < 87 THEN 'email.click'
                                      WHEN (g / {0} * 7919) % 100 < 89 THEN 'email.bounce' WHEN (g / {0} * 7919) % 100 < 90 THEN 'email.defer'
                                      WHEN (g / {0} * 7919) % 100 < 92 THEN 'email.reply' WHEN (g / {0} * 7919) % 100 < 93 THEN 'email.unsubscribe'
                                      WHEN (g / {0} * 7919) % 100 < 94 THEN 'email.complaint' ELSE 'email.send' END AS type
                          FROM generate_series({4}::bigint, {5}::bigint) g) s
                    ON CONFLICT DO NOTHING""",
                    DSL.inline(WORKSPACES), DSL.inline(CAMPAIGNS), DSL.inline(target), DSL.inline(DAYS), DSL.inline(from), DSL.inline(to));
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("  %,d / %,d events stored (%,.0f events/s)%n", to + 1, target, (to + 1 - present) / seconds);
        }
        db.execute("VACUUM ANALYZE");
    }

    /**
     * Processes each workspace's days not processed yet, as the nightly ETL leaves them: the pages read whole days'
     * counts from its facts. The workspaces are registered first (in UTC, the zone of the benchmark's days).
     */
    void processDays() {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        long started = System.nanoTime();
        int processed = 0;
        for (int w = 0; w < WORKSPACES; w++) {
            UUID id = workspace(w);
            db.execute("INSERT INTO workspaces (workspace_id, name) VALUES ({0}, {1}) ON CONFLICT DO NOTHING", id, "bench-" + w);
            for (int d = 0; d < DAYS; d++) {
                LocalDay day = new LocalDay(id, "bench-" + w, LocalDate.ofInstant(START, ZoneOffset.UTC).plusDays(d), ZoneOffset.UTC);
                if (!db.fetchExists(ETL_DAYS, ETL_DAYS.WORKSPACE_ID.eq(id), ETL_DAYS.DAY.eq(day.day()))) {
                    db.transaction(tx -> new DailyFacts(tx.dsl()).process(day, DailyFacts.Reason.ASKED, null));
                    processed++;
                }
            }
        }
        out.printf("  %d days processed by the daily ETL's steps in %d s%n", processed, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /** One query the console and API make, with random parameters: how the library runs it, and its API request. */
    private record Query(String name, Function<Random, Call> next) {
    }

    /** One instance of a query: the workspace it reads, the library call, and the same through the API. */
    private record Call(UUID workspace, Runnable direct, String path) {
    }

    /** A console answering over the benchmark's database, and a read key of each of its workspaces. */
    record Api(URI console, Map<UUID, String> keys) {
    }

    /** The console, started on the benchmark's database for the API's half of the measurements, and stopped after. */
    record ConsoleProcess(Process process, URI url) {

        private static final int PORT = 18_080;

        static ConsoleProcess start(Path jar, DatabaseSettings database, PrintStream out) {
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString(), "--server.port=" + PORT,
                    // the benchmark is one client asking as fast as it can: no rate limit between it and the queries
                    "--mailpulse.console.api-requests-per-second=1000000", "--mailpulse.console.api-burst=1000000")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("MAILPULSE_DB_URL", database.url());
            builder.environment().put("MAILPULSE_DB_USER", database.user());
            builder.environment().put("MAILPULSE_DB_PASSWORD", database.password());
            URI url = URI.create("http://127.0.0.1:" + PORT);
            try {
                Process process = builder.start();
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 120; i++) {
                    try {
                        if (http.send(HttpRequest.newBuilder(url.resolve("/actuator/health")).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200) {
                            out.println("Console on the benchmark's database: " + url);
                            return new ConsoleProcess(process, url);
                        }
                    } catch (IOException notYet) {
                        // still starting
                    }
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the console stopped while starting (exit " + process.exitValue() + ")");
                    }
                    Thread.sleep(1_000);
                }
                process.destroyForcibly();
                throw new IllegalStateException("the console did not start within 120 s");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The benchmark's workspaces, registered so that the API can be asked about them, each with a new read key. */
    Map<UUID, String> readKeys() {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        Workspaces workspaces = new Workspaces(db);
        Map<UUID, String> keys = new HashMap<>();
        for (int i = 0; i < WORKSPACES; i++) {
            UUID id = workspace(i);
            db.execute("INSERT INTO workspaces (workspace_id, name) VALUES ({0}, {1}) ON CONFLICT DO NOTHING", id, "bench-" + i);
            keys.put(id, workspaces.issueKey("bench-" + i, "bench-queries", KeyScope.READ).key());
        }
        return keys;
    }

    List<Result> run(int runs, long seed, Optional<Api> api) {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        ZoneId paris = ZoneId.of("Europe/Paris");
        Instant parisStart = START.atZone(paris).toLocalDate().plusDays(1).atStartOfDay(paris).toInstant();
        List<Query> queries = List.of(
                new Query("campaign time series, hourly, 7 days", random -> {
                    UUID workspace = workspace(random);
                    String campaign = campaign(random);
                    Instant from = day(random, 23);
                    Instant to = from.plus(7, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new ReadModel(db, workspace).timeSeries(Resolution.HOUR, from, to, Optional.of(campaign), ZoneOffset.UTC),
                            "/api/v1/campaigns/" + campaign + "/timeseries?granularity=hour&from=" + from + "&to=" + to);
                }),
                new Query("campaign time series, by minute, 6 hours", random -> {
                    UUID workspace = workspace(random);
                    String campaign = campaign(random);
                    Instant from = day(random, 29).plus(random.nextInt(18), ChronoUnit.HOURS);
                    Instant to = from.plus(6, ChronoUnit.HOURS);
                    return new Call(workspace, () -> new ReadModel(db, workspace).timeSeries(Resolution.MINUTE, from, to, Optional.of(campaign), ZoneOffset.UTC),
                            "/api/v1/campaigns/" + campaign + "/timeseries?granularity=minute&from=" + from + "&to=" + to);
                }),
                new Query("workspace time series, daily, 30 days", random -> {
                    UUID workspace = workspace(random);
                    Instant to = START.plus(DAYS, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new ReadModel(db, workspace).timeSeries(Resolution.DAY, START, to, Optional.empty(), ZoneOffset.UTC),
                            "/api/v1/timeseries?granularity=day&from=" + START + "&to=" + to);
                }),
                new Query("workspace time series, daily in Europe/Paris (from hours), 28 days", random -> {
                    UUID workspace = workspace(random);
                    Instant to = parisStart.atZone(paris).plusDays(28).toInstant(); // 28 local days: one of them is 25 hours long
                    return new Call(workspace, () -> new ReadModel(db, workspace).timeSeries(Resolution.DAY, parisStart, to, Optional.empty(), paris),
                            "/api/v1/timeseries?granularity=day&tz=Europe/Paris&from=" + parisStart + "&to=" + to);
                }),
                new Query("campaign summary: totals, unique openers and clickers, rates; 7 days", random -> {
                    UUID workspace = workspace(random);
                    String campaign = campaign(random);
                    Instant from = day(random, 23);
                    Instant to = from.plus(7, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new ReadModel(db, workspace).totals(from, to, Optional.of(campaign)),
                            "/api/v1/campaigns/" + campaign + "/summary?from=" + from + "&to=" + to);
                }),
                new Query("campaign breakdown by mailbox provider, 30 days", random -> {
                    UUID workspace = workspace(random);
                    String campaign = campaign(random);
                    Instant to = START.plus(DAYS, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new Breakdowns(db, workspace).by(Dimension.MAILBOX_PROVIDER, START, to, Optional.of(campaign), 100),
                            "/api/v1/campaigns/" + campaign + "/breakdown/mailbox-provider?from=" + START + "&to=" + to);
                }),
                new Query("campaign breakdown by recipient domain, 7 days", random -> {
                    UUID workspace = workspace(random);
                    String campaign = campaign(random);
                    Instant from = day(random, 23);
                    Instant to = from.plus(7, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new Breakdowns(db, workspace).by(Dimension.RECIPIENT_DOMAIN, from, to, Optional.of(campaign), 100),
                            "/api/v1/campaigns/" + campaign + "/breakdown/recipient-domain?from=" + from + "&to=" + to);
                }),
                new Query("workspace deliverability by mailbox provider, 7 days", random -> {
                    UUID workspace = workspace(random);
                    Instant from = day(random, 23);
                    Instant to = from.plus(7, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new Breakdowns(db, workspace).deliverability(Dimension.MAILBOX_PROVIDER, from, to, Optional.empty()),
                            "/api/v1/deliverability?by=mailbox-provider&from=" + from + "&to=" + to);
                }),
                new Query("campaign raw events, the newest 100 of a day", random -> {
                    UUID workspace = workspace(random);
                    String campaign = campaign(random);
                    Instant from = day(random, 29);
                    Instant to = from.plus(1, ChronoUnit.DAYS);
                    return new Call(workspace, () -> new StoredEvents(db, workspace).page(
                            new StoredEvents.Filter(Optional.of(campaign), Optional.empty(), Optional.empty()), from, to, Optional.empty(), 100),
                            "/api/v1/campaigns/" + campaign + "/events?limit=100&from=" + from + "&to=" + to);
                }));
        HttpClient http = HttpClient.newHttpClient();
        List<Result> results = new ArrayList<>();
        for (Query query : queries) {
            Random directRandom = new Random(seed);
            double[] direct = time(runs, () -> query.next().apply(directRandom).direct().run());
            double[] answered = api.map(target -> {
                Random apiRandom = new Random(seed); // the same calls as above, through the API
                return time(runs, () -> get(http, target, query.next().apply(apiRandom)));
            }).orElse(null);
            Result result = new Result(query.name(), runs, percentile(direct, 50), percentile(direct, 95), percentile(direct, 99), direct[runs - 1],
                    answered == null ? null : new Percentiles(percentile(answered, 50), percentile(answered, 95), percentile(answered, 99),
                            answered[runs - 1]));
            out.printf("  %-75s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%s%n", query.name(), result.p50(), result.p95(), result.p99(),
                    result.max(), result.api() == null ? "" : String.format("   API p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms", result.api().p50(),
                            result.api().p95(), result.api().p99()));
            results.add(result);
        }
        return results;
    }

    /**
     * The console's pages as a signed-in user opens them, over the same data (the benchmark's last day through
     * {@code ?until=}): the HTML, or the JSON a chart draws; random workspaces and campaigns.
     */
    List<Result> pages(int runs, long seed, URI console) throws Exception {
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
        String email = "bench-pages@example.com";
        Users users = new Users(db);
        String password = users.find(email).isPresent() ? users.resetPassword(email) : users.create(email, "bench-0", Role.VIEWER).password();
        for (int i = 0; i < WORKSPACES; i++) {
            users.add(email, "bench-" + i, Role.VIEWER);
        }
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        signIn(browser, console, email, password);
        String until = START.plus(DAYS - 1, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        List<Query> pages = List.of(
                new Query("overview (today's KPIs, the campaigns active now)", random -> page("/w/bench-" + random.nextInt(WORKSPACES))),
                new Query("campaigns list, 30 days", random -> page("/w/bench-" + random.nextInt(WORKSPACES) + "/campaigns?days=30&until=" + until)),
                new Query("a campaign's page, 7 days (funnel, period before, 7 breakdowns)", random ->
                        page("/w/bench-" + random.nextInt(WORKSPACES) + "/campaigns/" + campaign(random) + "?days=7&until=" + until)),
                new Query("a campaign's hourly series for its chart, 7 days", random ->
                        page("/w/bench-" + random.nextInt(WORKSPACES) + "/campaigns/" + campaign(random) + "/series.json?days=7&until=" + until)),
                new Query("deliverability by mailbox provider, 7 days", random -> page("/w/bench-" + random.nextInt(WORKSPACES)
                        + "/deliverability?days=7&until=" + until)),
                new Query("deliverability by recipient domain, 7 days", random -> page("/w/bench-" + random.nextInt(WORKSPACES)
                        + "/deliverability?by=recipient-domain&days=7&until=" + until)));
        List<Result> results = new ArrayList<>();
        for (Query query : pages) {
            Random random = new Random(seed);
            double[] millis = time(runs, () -> get(browser, console, query.next().apply(random).path(), null));
            Result result = new Result(query.name(), runs, percentile(millis, 50), percentile(millis, 95), percentile(millis, 99), millis[runs - 1], null);
            out.printf("  %-75s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", query.name(), result.p50(), result.p95(), result.p99(),
                    result.max());
            results.add(result);
        }
        return results;
    }

    private static Call page(String path) {
        return new Call(null, null, path);
    }

    private static void signIn(HttpClient browser, URI console, String email, String password) throws Exception {
        String form = browser.send(HttpRequest.newBuilder(console.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token in the sign-in form");
        }
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(console.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 302 || signedIn.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("could not sign in to the console: " + signedIn.statusCode());
        }
    }

    private static void get(HttpClient http, Api api, Call call) {
        get(http, api.console(), call.path(), api.keys().get(call.workspace()));
    }

    /** A GET that must answer 200: with a key, or in the client's session. */
    private static void get(HttpClient http, URI console, String path, String key) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(console.resolve(path));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + answer.statusCode() + " " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Milliseconds of each of {@code runs} runs, sorted, after a warm-up (connections, plans, caches). */
    private static double[] time(int runs, Runnable once) {
        for (int i = 0; i < Math.min(20, runs); i++) {
            once.run();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            once.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    /** Writes (or replaces) the read-model section of BENCHMARKS.md. */
    static void report(Path file, long events, String engine, List<Result> results, List<Result> pages, Duration fillTime, Consumer<String> log)
            throws IOException {
        StringBuilder section = new StringBuilder();
        boolean api = results.get(0).api() != null;
        section.append("## Read-model and Analytics API queries over ").append(String.format("%,d", events)).append(" stored events\n\n");
        section.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(engine)
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". ").append(WORKSPACES).append(" workspaces × ").append(CAMPAIGNS)
                .append(" campaigns over ").append(DAYS).append(" days");
        if (fillTime != null) {
            section.append("; loaded through the real write path in ").append(fillTime.toSeconds()).append(" s");
        }
        section.append(". Each query runs ").append(results.get(0).runs()).append(" times after a warm-up, with random workspaces, ")
                .append("campaigns and ranges, first through the storage library, then the same calls as HTTP requests to the ")
                .append("Analytics API (a console on the same database, one client, a read key per workspace: the key check, the ")
                .append("freshness look-ups, JSON and the loopback included). Before the timing, every workspace's days are processed ")
                .append("by the daily ETL's steps, as the nightly job leaves them: deliverability reads whole days from its facts (a ")
                .append("range that ends now reads today from the raw store). Target: API p95 under 100 ms. Reproduce: ")
                .append("`bin/mailpulse bench-queries --events ").append(events).append("`.\n\n");
        section.append("| query | p50 ms | p95 ms | p99 ms | max ms |").append(api ? " API p50 ms | API p95 ms | API p99 ms | API max ms |" : "")
                .append("\n|---|---:|---:|---:|---:|").append(api ? "---:|---:|---:|---:|" : "").append("\n");
        for (Result r : results) {
            section.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f |", r.query(), r.p50(), r.p95(), r.p99(), r.max()));
            if (api) {
                section.append(String.format(" %.1f | %.1f | %.1f | %.1f |", r.api().p50(), r.api().p95(), r.api().p99(), r.api().max()));
            }
            section.append("\n");
        }
        if (!pages.isEmpty()) {
            section.append("\nThe console's pages over the same data, as a signed-in viewer opens them (one client, the whole answer ")
                    .append("read; the last day of the data through `?until=`). Target: p95 under 200 ms.\n\n")
                    .append("| page | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
            for (Result r : pages) {
                section.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f |%n", r.query(), r.p50(), r.p95(), r.p99(), r.max()));
            }
        }
        List<String> over = new ArrayList<>();
        results.stream().filter(r -> (api ? r.api().p95() : r.p95()) >= 100).forEach(r -> over.add("the query \"" + r.query() + "\""));
        pages.stream().filter(r -> r.p95() >= 200).forEach(r -> over.add("the page \"" + r.query() + "\""));
        section.append(over.isEmpty() ? "\nEvery query and page within its target.\n" : "\nOver their targets: " + String.join("; ", over) + ".\n");
        BenchmarksFile.replaceSection(file, "read-model-queries", section.toString());
        log.accept("Wrote " + file);
    }

    private static UUID workspace(Random random) {
        return workspace(random.nextInt(WORKSPACES));
    }

    private static UUID workspace(int number) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", number));
    }

    /** One of the campaigns: {@link #fill} gives every workspace all of them. */
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
