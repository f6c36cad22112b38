package dev.mailpulse.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.storage.DatabaseSettings;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.tasks.TaskLauncher;
import dev.mailpulse.traffic.GroundTruth;
import dev.mailpulse.storage.StorageSettings;
import dev.mailpulse.storage.events.StoredAddresses;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * The Java side of {@code bin/mailpulse}: the commands that talk to MailPulse's services. Settings come from the
 * {@code MAILPULSE_*} environment variables. Exit status: 0 done, 1 failed, 2 wrong usage.
 */
public final class MailPulseCli {

    private static final String USAGE = """
            usage: mailpulse COMMAND
              migrate                create the database if missing and apply the schema
                                     (TimescaleDB where usable, else plain PostgreSQL)
              etl [--date YYYY-MM-DD | --from D --to D] [--workspace NAME]
                                     the nightly ETL now: the days asked for, or every workspace-local day that is due
                                     (ended, plus the grace period) or changed since it was processed; through the task
                                     launcher (the daily-etl jar as a child process, or Data Flow when
                                     MAILPULSE_DATAFLOW_URL is set); exit 0 completed, 1 failed, 3 another run is on
              ml-train [--workspace NAME | --zone ZONE]
                                     the nightly model training now (Spark MLlib): the engagement and campaign models
                                     of every workspace (or one, or a time zone's, as the scheduler follows a zone's
                                     nightly ETL) against their baselines, into the model registry, then the
                                     recipients' scores and the running campaigns' forecasts; through the task launcher
                                     like etl; exit 0 completed, 1 failed
              bench-queries [--events N] [--runs N] [--console-jar JAR]
                                     time the console's and API's queries over N stored events (default 10,000,000) in
                                     the database MAILPULSE_BENCH_DB_URL (default: mailpulse_bench beside
                                     MAILPULSE_DB_URL), filling it first; with --console-jar (bin/mailpulse passes it)
                                     the same calls as API requests to that console, started on that database too;
                                     writes BENCHMARKS.md
              bench-etl [--events N,N,...] [--spread W]
                                     time the daily ETL over one day of N events of one workspace, for each N
                                     (default 1,000,000,3,000,000,10,000,000), then the largest N over W workspaces
                                     (default 10), in the database mailpulse_etl_bench beside MAILPULSE_DB_URL (emptied
                                     first); writes BENCHMARKS.md
              bench-ml [--workspace NAME] [--days D,D,...] [--about TEXT] [--truth FILE]
                                     time the ml-train task over the last D days (default 8,15,30) of the workspace's
                                     history (default traffic-1; bin/mailpulse bench-ml stores and processes it first),
                                     and, with the generator's ground truth, how many domains' planted send hours the
                                     send-time model found; writes BENCHMARKS.md
              bench-pipeline --topology NAME --processes NAME=PID[+PID],... [--raw] [--rates R,R,...] [--duration S]
                             [--connections N] [--results FILE] [--collector URL]
                                     measure the running pipeline (bin/mailpulse bench runs it): open-loop phases at
                                     each rate (default 1000,5000,20000 events/s) and a closed-loop one, S seconds each;
                                     --raw first measures RabbitMQ PerfTest and PostgreSQL COPY; appends to FILE
              bench-report --results FILE [--about "KEY=VALUE;..."]
                                     write the end-to-end section of BENCHMARKS.md from a results file
              bench-alerts --processes NAME=PID[+PID],... [--duration S] [--connections N] [--collector URL] [--about TEXT]
                                     the alert evaluator under load (bin/mailpulse bench-alerts runs it, the pipeline
                                     up with sink-alerts): 1,000 rules across 100 workspaces, the pipeline at 0.6 of its
                                     sustained maximum for S seconds (default 60) while complaint spikes are posted;
                                     the latency to their signed webhooks, the processes' CPU; writes BENCHMARKS.md
            """ + WorkspaceCommand.USAGE + UserCommand.USAGE + FailedCommand.USAGE + DlqCommand.USAGE + ImportCommand.USAGE + TrafficCommand.USAGE;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    MailPulseCli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new MailPulseCli(System.getenv(), System.out, System.err).run(args));
    }

    int run(String... args) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "migrate" -> migrate(rest);
                case "workspace" -> new WorkspaceCommand(workspaces(), dsl(), this::storedAddresses, out).run(List.of(rest));
                case "user" -> {
                    ensureMigrated();
                    yield new UserCommand(new Users(dsl()), new Workspaces(dsl()), out).run(List.of(rest));
                }
                case "bench-queries" -> benchQueries(rest);
                case "bench-etl" -> benchEtl(rest);
                case "bench-ml" -> benchMl(rest);
                case "etl" -> {
                    ensureMigrated();
                    yield task("daily-etl", rest);
                }
                case "ml-train" -> {
                    ensureMigrated();
                    yield task("ml-train", rest);
                }
                case "import" -> new ImportCommand(workspaces(), dsl(), out).run(List.of(rest));
                case "generate" -> {
                    ensureMigrated();
                    yield new TrafficCommand(dsl(), out).generate(List.of(rest));
                }
                case "bench-pipeline" -> {
                    ensureMigrated();
                    yield benchPipeline(List.of(rest));
                }
                case "bench-report" -> benchReport(List.of(rest));
                case "bench-alerts" -> {
                    ensureMigrated();
                    yield benchAlerts(List.of(rest));
                }
                case "check" -> new TrafficCommand(dsl(), out).check(List.of(rest), env.getOrDefault("MAILPULSE_REDIS_URL", "redis://127.0.0.1:6379"));
                case "failed" -> {
                    ensureMigrated();
                    yield new FailedCommand(dsl(), env.getOrDefault("MAILPULSE_RABBIT_URL", "amqp://guest:guest@127.0.0.1:5672"),
                            env.getOrDefault("MAILPULSE_REPLAY_DESTINATION", "mailpulse.source-collector"), out).run(List.of(rest));
                }
                case "dlq" -> new DlqCommand(env.getOrDefault("MAILPULSE_RABBIT_URL", "amqp://guest:guest@127.0.0.1:5672"),
                        env.getOrDefault("MAILPULSE_STREAM", "mailpulse"), out).run(List.of(rest));
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("mailpulse: unknown command '" + args[0] + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (Options.UsageException e) {
            err.println("mailpulse " + args[0] + ": " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("mailpulse " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    /** A task run to its end through the one task launcher, its progress printed as it comes; its exit code. */
    private int task(String name, String... arguments) throws Exception {
        TaskLauncher.Outcome outcome = TaskLauncher.fromEnvironment(env).run(name, List.of(arguments), out::println);
        out.println(name + (outcome.completed() ? " completed" : " failed with exit code " + outcome.exitCode()) + " (" + outcome.ranAs() + ")");
        return outcome.exitCode();
    }

    private Workspaces workspaces() throws Exception {
        ensureMigrated();
        return new Workspaces(dsl());
    }

    private StoredAddresses storedAddresses() {
        String secret = env.get("MAILPULSE_RECIPIENT_HASH_SECRET");
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("MAILPULSE_RECIPIENT_HASH_SECRET must be set to the collector's recipient hashing secret");
        }
        return new StoredAddresses(new RecipientPseudonymizer(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Commands that read or write data work on a migrated database; migrating is quick when nothing is pending. */
    private void ensureMigrated() throws Exception {
        new SchemaMigrator(DatabaseSettings.fromEnvironment(env), StorageSettings.fromEnvironment(env)).migrate();
    }

    private org.jooq.DSLContext dsl() {
        DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.url());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        return DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    private int benchQueries(String[] args) throws Exception {
        Options options = Options.parse(List.of(args), java.util.Set.of("--events", "--runs", "--console-jar"), java.util.Set.of());
        options.expectPositionals(0);
        long events;
        int runs;
        try {
            events = Long.parseLong(options.value("--events", "10000000"));
            runs = Integer.parseInt(options.value("--runs", "200"));
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--events and --runs take whole numbers");
        }
        DatabaseSettings main = DatabaseSettings.fromEnvironment(env);
        String url = env.getOrDefault("MAILPULSE_BENCH_DB_URL", main.url().replace("/" + main.databaseName(), "/mailpulse_bench"));
        DatabaseSettings bench = new DatabaseSettings(url, main.user(), main.password());
        SchemaMigrator.Outcome migrated = new SchemaMigrator(bench, StorageSettings.fromEnvironment(env)).migrate();
        out.println("Benchmark database " + bench.url() + " (" + migrated.engine().sqlName() + ")");
        // A pool, as the console and API have: the figures are the queries', not connection set-up's.
        com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
        dataSource.setJdbcUrl(bench.url());
        dataSource.setUsername(bench.user());
        dataSource.setPassword(bench.password());
        dataSource.setMaximumPoolSize(2);
        QueryBenchmark benchmark = new QueryBenchmark(dataSource, out);
        out.println("Filling to " + String.format("%,d", events) + " events through the write path ...");
        long fillStart = System.nanoTime();
        benchmark.fill(events);
        java.time.Duration fill = java.time.Duration.ofNanos(System.nanoTime() - fillStart);
        benchmark.processDays();
        java.util.Optional<java.nio.file.Path> consoleJar = java.util.Optional.ofNullable(options.value("--console-jar", null)).map(java.nio.file.Path::of);
        java.util.Optional<QueryBenchmark.ConsoleProcess> console = consoleJar.map(jar -> QueryBenchmark.ConsoleProcess.start(jar, bench, out));
        List<QueryBenchmark.Result> results;
        List<QueryBenchmark.Result> pages = List.of();
        try {
            java.util.Optional<QueryBenchmark.Api> api = console.map(c -> new QueryBenchmark.Api(c.url(), benchmark.readKeys()));
            out.println("Timing queries (" + runs + " runs each" + (api.isPresent() ? ", and as API requests" : "") + ") ...");
            results = benchmark.run(runs, 42, api);
            if (console.isPresent()) {
                out.println("Timing the console's pages (" + runs + " runs each) ...");
                pages = benchmark.pages(runs, 42, console.get().url());
            }
        } finally {
            console.ifPresent(QueryBenchmark.ConsoleProcess::stop);
        }
        QueryBenchmark.report(java.nio.file.Path.of(env.getOrDefault("MAILPULSE_BENCHMARKS_FILE", "BENCHMARKS.md")), events,
                migrated.engine().sqlName(), results, pages, fill.toSeconds() > 5 ? fill : null, out::println);
        dataSource.close();
        return 0;
    }

    private int benchMl(String[] args) throws Exception {
        Options options = Options.parse(List.of(args), java.util.Set.of("--workspace", "--days", "--about", "--truth"), java.util.Set.of());
        options.expectPositionals(0);
        List<Integer> days;
        try {
            days = java.util.Arrays.stream(options.value("--days", "8,15,30").split(",")).map(String::strip).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--days takes whole numbers separated by commas");
        }
        String workspace = options.value("--workspace", "traffic-1");
        // read first: an unreadable file fails before the runs, not after them
        Optional<GroundTruth> truth = options.value("--truth", null) == null ? Optional.empty()
                : Optional.of(GroundTruth.read(java.nio.file.Path.of(options.value("--truth", null))));
        MlBenchmark benchmark = new MlBenchmark(TaskLauncher.fromEnvironment(env), dsl(), out);
        List<MlBenchmark.Result> results = new java.util.ArrayList<>();
        for (int span : days) {
            results.add(benchmark.run(workspace, span));
        }
        Optional<MlBenchmark.Recovery> recovery = truth.isPresent() ? Optional.of(benchmark.recovery(workspace, truth.get())) : Optional.empty();
        MlBenchmark.report(java.nio.file.Path.of(env.getOrDefault("MAILPULSE_BENCHMARKS_FILE", "BENCHMARKS.md")), results, recovery,
                options.value("--about", ""));
        return 0;
    }

    private int benchEtl(String[] args) throws Exception {
        Options options = Options.parse(List.of(args), java.util.Set.of("--events", "--spread"), java.util.Set.of());
        options.expectPositionals(0);
        List<Long> events;
        try {
            events = java.util.Arrays.stream(options.value("--events", "1000000,3000000,10000000").split(",")).map(String::strip)
                    .map(Long::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--events takes whole numbers separated by commas");
        }
        int spread = options.positive("--spread", 10);
        DatabaseSettings main = DatabaseSettings.fromEnvironment(env);
        DatabaseSettings bench = new DatabaseSettings(main.url().replace("/" + main.databaseName(), "/mailpulse_etl_bench"), main.user(),
                main.password());
        SchemaMigrator.Outcome migrated = new SchemaMigrator(bench, StorageSettings.fromEnvironment(env)).migrate();
        out.println("Benchmark database " + bench.url() + " (" + migrated.engine().sqlName() + ")");
        try (com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource()) {
            dataSource.setJdbcUrl(bench.url());
            dataSource.setUsername(bench.user());
            dataSource.setPassword(bench.password());
            dataSource.setMaximumPoolSize(3);
            EtlBenchmark benchmark = new EtlBenchmark(dataSource, out);
            List<EtlBenchmark.Result> results = new java.util.ArrayList<>();
            for (long n : events) {
                results.add(benchmark.run(n, 1));
            }
            results.add(benchmark.run(events.get(events.size() - 1), spread));
            EtlBenchmark.report(java.nio.file.Path.of(env.getOrDefault("MAILPULSE_BENCHMARKS_FILE", "BENCHMARKS.md")), migrated.engine().sqlName(),
                    results);
        }
        return 0;
    }

    private int benchPipeline(List<String> args) throws Exception {
        Options options = Options.parse(args, java.util.Set.of("--topology", "--processes", "--rates", "--duration", "--connections",
                "--results", "--collector"), java.util.Set.of("--raw"));
        options.expectPositionals(0);
        List<Integer> rates = java.util.Arrays.stream(options.value("--rates", "1000,5000,20000").split(",")).map(Integer::valueOf).toList();
        var settings = new dev.mailpulse.cli.bench.PipelineBenchmark.Settings(
                java.net.URI.create(options.value("--collector", "http://127.0.0.1:8081")), options.required("--topology"), rates,
                java.time.Duration.ofSeconds(Long.parseLong(options.value("--duration", "20"))),
                Integer.parseInt(options.value("--connections", "16")), processes(options), options.flag("--raw"),
                java.nio.file.Path.of(options.value("--results", "bench-results.json")));
        new dev.mailpulse.cli.bench.PipelineBenchmark(dsl(), DatabaseSettings.fromEnvironment(env),
                env.getOrDefault("MAILPULSE_RABBIT_URL", "amqp://guest:guest@127.0.0.1:5672"),
                env.getOrDefault("MAILPULSE_REDIS_URL", "redis://127.0.0.1:6379"), out).run(settings);
        return 0;
    }

    private int benchAlerts(List<String> args) throws Exception {
        Options options = Options.parse(args, java.util.Set.of("--processes", "--duration", "--connections", "--collector", "--about",
                "--benchmarks"), java.util.Set.of());
        options.expectPositionals(0);
        var settings = new dev.mailpulse.cli.bench.AlertsBenchmark.Settings(java.net.URI.create(options.value("--collector", "http://127.0.0.1:8081")),
                java.time.Duration.ofSeconds(Long.parseLong(options.value("--duration", "60"))), Integer.parseInt(options.value("--connections", "16")),
                processes(options), options.value("--about", "").replace(';', ','));
        String section = new dev.mailpulse.cli.bench.AlertsBenchmark(dsl(), env.getOrDefault("MAILPULSE_REDIS_URL", "redis://127.0.0.1:6379"), out)
                .run(settings);
        BenchmarksFile.replaceSection(java.nio.file.Path.of(options.value("--benchmarks", "BENCHMARKS.md")), "alerts", section);
        return 0;
    }

    /** {@code --processes NAME=PID[+PID...],...}: the processes whose CPU and memory a benchmark reports. */
    private static java.util.Map<String, List<Long>> processes(Options options) {
        java.util.Map<String, List<Long>> processes = new java.util.LinkedHashMap<>();
        for (String entry : options.required("--processes").split(",")) {
            String[] nameAndPids = entry.split("=", 2);
            if (nameAndPids.length != 2) {
                throw new Options.UsageException("--processes takes NAME=PID[+PID...],...");
            }
            processes.put(nameAndPids[0], java.util.Arrays.stream(nameAndPids[1].split("\\+")).filter(p -> !p.isBlank()).map(Long::valueOf).toList());
        }
        return processes;
    }

    private int benchReport(List<String> args) throws Exception {
        Options options = Options.parse(args, java.util.Set.of("--results", "--about"), java.util.Set.of());
        options.expectPositionals(0);
        java.util.Map<String, String> about = new java.util.LinkedHashMap<>();
        for (String entry : options.value("--about", "").split(";")) {
            if (entry.contains("=")) {
                about.put(entry.substring(0, entry.indexOf('=')).strip(), entry.substring(entry.indexOf('=') + 1).strip());
            }
        }
        java.nio.file.Path file = java.nio.file.Path.of(env.getOrDefault("MAILPULSE_BENCHMARKS_FILE", "BENCHMARKS.md"));
        BenchmarksFile.replaceSection(file, "pipeline-end-to-end",
                dev.mailpulse.cli.bench.BenchmarkReport.render(java.nio.file.Path.of(options.required("--results")), about));
        out.println("Wrote " + file);
        return 0;
    }

    private int migrate(String[] args) throws Exception {
        if (args.length > 0) {
            err.println("mailpulse migrate takes no arguments");
            return 2;
        }
        DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
        out.println("Migrating " + database.url() + " ...");
        SchemaMigrator.Outcome outcome = new SchemaMigrator(database, StorageSettings.fromEnvironment(env)).migrate();
        if (outcome.databaseCreated()) {
            out.println("Created database " + database.databaseName());
        }
        out.println("Engine: " + outcome.engine().sqlName()
                + "; migrations applied: " + outcome.migrationsApplied()
                + "; schema version: " + outcome.schemaVersion());
        return 0;
    }
}
