package dev.mailpulse.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LifetimeKpis;
import dev.mailpulse.storage.facts.LocalDay;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.JsonNode;

/**
 * The task app trains on a real Spark standalone cluster: a master and a worker started as processes of their own from
 * Spark's jars (a Spark home whose {@code jars} directory holds Spark and its dependencies, as a distribution does),
 * the task app as the driver with {@code spark.master} pointing at it. The executors the worker starts load Spark from
 * that home and the one jar the job needs besides, PostgreSQL's JDBC driver, from {@code spark.jars}: nothing from the
 * task app's own jar. The registry then holds the models, and the master lists the application as finished.
 *
 * <p>Minutes long, so a command of its own ({@code bin/mailpulse spark-cluster-test}), which {@code .ci/run} runs after the
 * test command when time allows.
 */
@Tag("spark-cluster")
class MlTrainOnSparkClusterTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres()
            .preparedWith(database -> SchemaMigrator.migrate(database.jdbcUrl(), database.user(), database.password()));

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final int DAYS = 10;

    @TempDir
    Path work;
    private final List<Process> cluster = new ArrayList<>();

    @AfterEach
    void stopTheCluster() throws InterruptedException {
        for (Process process : cluster) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theTaskAppTrainsOnAStandaloneClusterWhoseExecutorsLoadSparksJarsAndTheDriverItShips() throws Exception {
        DSLContext db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        Workspaces.Workspace shop = new Workspaces(db).create("cluster-shop", PARIS.getId(), false).workspace();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        GeneratedHistory.store(db, shop, 11, now.minus(Duration.ofDays(DAYS)), now, 3_000);
        // the daily facts the training reads, as the nightly ETL writes them
        for (LocalDate day = LocalDate.ofInstant(now, PARIS).minusDays(DAYS + 1); day.isBefore(LocalDate.ofInstant(now, PARIS)); day = day.plusDays(1)) {
            LocalDay local = new LocalDay(shop.id(), shop.name(), day, PARIS);
            db.transaction(tx -> new DailyFacts(tx.dsl()).process(local, DailyFacts.Reason.ASKED, null));
        }
        new LifetimeKpis(db).recompute(shop.id(), db.fetchValues("SELECT DISTINCT campaign_id FROM events WHERE workspace_id = ? AND campaign_id IS NOT NULL",
                shop.id()).stream().map(String.class::cast).toList());

        Path jdbcDriver = classpath().filter(jar -> jar.getFileName().toString().startsWith("postgresql-")).findFirst().orElseThrow();
        Path sparkHome = sparkHome(jdbcDriver);
        int masterPort = freePort();
        int masterUi = freePort();
        start("master", sparkHome, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
                "--webui-port", Integer.toString(masterUi));
        String master = "spark://127.0.0.1:" + masterPort;
        start("worker", sparkHome, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2", "--memory", "1536m",
                "--work-dir", work.resolve("worker").toString(), "--webui-port", Integer.toString(freePort()), master);
        waitFor(() -> masterState(masterUi).path("aliveworkers").asInt() == 1, Duration.ofSeconds(60), "a worker registered with the master");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(Arrays.asList(System.getProperty("spark.opens").split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MlTrainApplication.class.getName(),
                "--spring.datasource.url=" + DB.jdbcUrl(), "--spring.datasource.username=" + DB.user(), "--spring.datasource.password=" + DB.password(),
                "--mailpulse.ml.spark.spark.master=" + master, "--mailpulse.ml.spark.spark.jars=" + jdbcDriver.toUri(),
                "--mailpulse.ml.spark.spark.executor.memory=1g", "--mailpulse.ml.spark.spark.cores.max=2",
                "--mailpulse.ml.model-directory=" + work.resolve("models"), "--mailpulse.ml.min-training-rows=1000", "--mailpulse.ml.min-campaigns=6",
                // the enrich stage, its stream support and the live cache are on the test's class path only for the history's events
                "--spring.autoconfigure.exclude=dev.mailpulse.enrich.EnrichAutoConfiguration,dev.mailpulse.livecache.LiveCacheAutoConfiguration,"
                        + "dev.mailpulse.stream.StreamSupportAutoConfiguration"));
        Process task = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("ml-train.log").toFile()).start();
        assertThat(task.waitFor(6, TimeUnit.MINUTES)).as("ml-train ended").isTrue();
        assertThat(task.exitValue()).as(tail("ml-train.log") + tail("master.log") + tail("worker.log")).isZero();

        List<ModelRegistry.Model> models = new ModelRegistry(db).list(shop.id());
        assertThat(models).extracting(ModelRegistry.Model::name).contains(ModelRegistry.ENGAGEMENT_CLICK, ModelRegistry.ENGAGEMENT_OPEN,
                ModelRegistry.CAMPAIGN_CLICK_RATE);
        JsonNode state = masterState(masterUi);
        assertThat(state.path("completedapps")).as("the master's finished applications").anySatisfy(app -> {
            assertThat(app.get("name").asString()).isEqualTo("mailpulse-ml-train");
            assertThat(app.get("state").asString()).isEqualTo("FINISHED");
        });
        try (Stream<Path> logs = Files.walk(work.resolve("worker"))) {
            String executors = logs.filter(p -> p.getFileName().toString().matches("stdout|stderr")).map(MlTrainOnSparkClusterTest::read)
                    .reduce("", String::concat);
            assertThat(executors).as("the executors' logs").contains("Fetching spark://").contains(jdbcDriver.getFileName().toString());
        }
    }

    /** A Spark home as a distribution's: its {@code jars} are Spark and its dependencies, not the job's JDBC driver or MailPulse. */
    private Path sparkHome(Path jdbcDriver) throws IOException {
        Path jars = Files.createDirectories(work.resolve("spark-home").resolve("jars"));
        for (Path jar : classpath().filter(jar -> !jar.equals(jdbcDriver) && !jar.toString().contains("dev/mailpulse")).toList()) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        // what a distribution has beside its jars, and what its scripts set (load-spark-env.sh): the worker builds its executors' command from both
        Files.writeString(work.resolve("spark-home").resolve("RELEASE"), "Spark 4.2.0 (the jars of the test's class path)\n");
        return work.resolve("spark-home");
    }

    private void start(String name, Path sparkHome, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(Arrays.asList(System.getProperty("spark.opens").split(" ")));
        command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        cluster.add(builder.start());
    }

    private static Stream<Path> classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().endsWith(".jar"));
    }

    private static JsonNode masterState(int uiPort) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return WireJson.MAPPER.readTree(response.body());
        } catch (IOException | RuntimeException e) {
            return WireJson.MAPPER.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void waitFor(java.util.function.BooleanSupplier condition, Duration patience, String what) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + ": " + tail("master.log") + tail("worker.log")).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private String tail(String log) throws IOException {
        List<String> lines = Files.readAllLines(work.resolve(log), StandardCharsets.UTF_8);
        return "\n" + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
