package dev.mailpulse.endtoend;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real-time pipeline as operators run it: each app its own process from its built jar, wired with the
 * destinations and groups SCDF gives them (here under a prefix of the test's own), over the real PostgreSQL,
 * RabbitMQ and Redis; and the command line (generator, check) against it.
 */
final class Pipeline implements AutoCloseable {

    /** The apps in the order they start: consumers first. */
    static final List<String> APPS = List.of("sink-timescale", "sink-redis", "processor-enrich", "processor-validate", "source-collector");

    /** The one app of the composed pipeline. */
    static final String COMPOSED = "pipeline-composed";
    /** The console and the Analytics API, started beside either pipeline by {@link #withConsole}. */
    static final String CONSOLE = "web-console";
    /** The alert evaluator on its tap, started beside the pipeline by {@link #withAlertEvaluators}. */
    static final String ALERTS = "sink-alerts";

    static final String RECIPIENT_HASH_SECRET = "an-end-to-end-secret-of-enough-length";

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STARTED = Pattern.compile("Started \\S+ in [0-9.]+ seconds");

    private final Path logs;
    private final TestDatabase db;
    private final TestRabbit rabbit;
    private final String redisPrefix;
    /** Each process by name (an app's name, or APP-N for its instance N), with its arguments. */
    private final Map<String, List<String>> wiring = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final int collectorPort;
    private int consolePort;
    private final List<String> deadLetterQueues = new ArrayList<>();

    /**
     * {@code name}: the logs go to target/NAME/, a file per app and per command. With {@code validateInstances} over
     * one, processor-validate runs that many instances, partitioned by workspace, as SCDF deploys it with
     * {@code deployer.processor-validate.count} and the collector's partition key (scdf/mailpulse.deployment.properties).
     */
    Pipeline(String name, TestDatabase db, TestRabbit rabbit, TestRedis redis, int validateInstances) throws IOException {
        this(name, db, rabbit, redis);
        String p = rabbit.prefix();
        for (String destination : List.of("source-collector", "processor-validate", "processor-enrich", "failed")) {
            rabbit.exchange(destination);
        }
        // A partitioned group has a queue per instance (GROUP-N) and one dead-letter queue (GROUP.dlq).
        List<String> queues = new ArrayList<>(List.of("source-collector.mailpulse", "processor-validate.mailpulse",
                "processor-enrich.mailpulse", "processor-enrich.mailpulse-cache", "failed.mailpulse"));
        for (int i = 0; validateInstances > 1 && i < validateInstances; i++) {
            queues.add("source-collector.mailpulse-" + i);
        }
        declare(queues);
        wiring.put("sink-timescale", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".processor-enrich",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed"));
        wiring.put("sink-redis", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".processor-enrich",
                "--mailpulse.cache.key-prefix=" + redis.prefix()));
        wiring.put("processor-enrich", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".processor-validate",
                "--spring.cloud.stream.bindings.output.destination=" + p + ".processor-enrich",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed"));
        List<String> validate = List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".source-collector",
                "--spring.cloud.stream.bindings.output.destination=" + p + ".processor-validate",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed",
                "--mailpulse.validate.dedup-key-prefix=" + redis.prefix() + "dedup:");
        List<String> collector = new ArrayList<>(List.of("--spring.cloud.stream.bindings.output.destination=" + p + ".source-collector",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed",
                "--server.port=" + collectorPort, "--management.server.port=" + freePort()));
        if (validateInstances == 1) {
            wiring.put("processor-validate", validate);
        } else {
            for (int i = 0; i < validateInstances; i++) {
                List<String> instance = new ArrayList<>(validate);
                instance.addAll(List.of("--spring.cloud.stream.bindings.input.consumer.partitioned=true",
                        "--spring.cloud.stream.instance-count=" + validateInstances, "--spring.cloud.stream.instance-index=" + i));
                wiring.put("processor-validate-" + i, instance);
            }
            collector.addAll(List.of("--spring.cloud.stream.bindings.output.producer.partition-key-expression=headers['mailpulse_workspace']",
                    "--spring.cloud.stream.bindings.output.producer.partition-count=" + validateInstances));
        }
        wiring.put("source-collector", collector);
    }

    /** The same pipeline as pipeline-composed runs it ({@code bin/mailpulse up --composed}): one process, one broker hop. */
    static Pipeline composed(String name, TestDatabase db, TestRabbit rabbit, TestRedis redis) throws IOException {
        Pipeline pipeline = new Pipeline(name, db, rabbit, redis);
        String p = rabbit.prefix();
        for (String destination : List.of("source-collector", "failed")) {
            rabbit.exchange(destination);
        }
        pipeline.declare(List.of("source-collector.mailpulse", "failed.mailpulse"));
        pipeline.wiring.put(COMPOSED, List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".source-collector",
                "--spring.cloud.stream.bindings.output.destination=" + p + ".source-collector",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed",
                "--spring.cloud.stream.bindings.failures.destination=" + p + ".failed",
                "--mailpulse.validate.dedup-key-prefix=" + redis.prefix() + "dedup:", "--mailpulse.cache.key-prefix=" + redis.prefix(),
                "--server.port=" + pipeline.collectorPort, "--management.server.port=" + freePort()));
        return pipeline;
    }

    private Pipeline(String name, TestDatabase db, TestRabbit rabbit, TestRedis redis) throws IOException {
        this.logs = Files.createDirectories(Path.of("target", name));
        try (var old = Files.list(logs)) {
            for (Path file : old.toList()) {
                Files.delete(file); // an earlier run's
            }
        }
        this.db = db;
        this.rabbit = rabbit;
        this.redisPrefix = redis.prefix();
        this.collectorPort = freePort();
    }

    private void declare(List<String> queues) {
        for (String queue : queues) {
            rabbit.queue(queue);
            String deadLetters = rabbit.queue(queue + ".dlq");
            if (!queue.matches(".*-\\d+")) { // a partitioned group's instances share the group's dead-letter queue
                deadLetterQueues.add(deadLetters);
            }
        }
    }

    /**
     * A queue of the test's own bound to an app's output, declared before traffic starts: what the app published,
     * to count afterwards with {@link #eventIdsPublished}.
     */
    String watchOutputOf(String app) throws IOException, TimeoutException {
        String queue = rabbit.queue("watch." + app);
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(rabbit.prefix() + "." + app, "topic", true);
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, rabbit.prefix() + "." + app, "#");
        }
        return queue;
    }

    /** The ids of the events in a watched queue's messages, as many times as they were published. */
    List<String> eventIdsPublished(String queue) throws IOException, TimeoutException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            for (GetResponse message = channel.basicGet(queue, true); message != null; message = channel.basicGet(queue, true)) {
                for (JsonNode event : JSON.readTree(message.getBody())) {
                    ids.add(event.get("event_id").asString());
                }
            }
        }
        return ids;
    }

    /** Messages in the stream's dead-letter queues: only content a stage refused may land there, never an outage's. */
    long deadLettered() throws IOException, TimeoutException {
        long total = 0;
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            for (String queue : deadLetterQueues) {
                total += channel.messageCount(queue);
            }
        }
        return total;
    }

    /** The console too, reading this pipeline's database and live cache, before {@link #start}. */
    void withConsole(TestRedis redis) throws IOException {
        consolePort = freePort();
        wiring.put(CONSOLE, List.of("--server.port=" + consolePort, "--mailpulse.cache.key-prefix=" + redis.prefix()));
    }

    /**
     * The alert evaluator too, {@code instances} of it in its consumer group (SCDF's {@code mailpulse-alerts} stream on
     * processor-enrich's tap), sending e-mails to an SMTP server on {@code smtpPort}, before {@link #start}: processes
     * {@code sink-alerts-0}, {@code sink-alerts-1}, ...
     */
    void withAlertEvaluators(int instances, int smtpPort) {
        declare(List.of("processor-enrich.mailpulse-alerts"));
        for (int i = 0; i < instances; i++) {
            wiring.put(ALERTS + "-" + i, List.of("--spring.cloud.stream.bindings.input.destination=" + rabbit.prefix() + ".processor-enrich",
                    "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtpPort));
        }
    }

    String consoleUrl() {
        return "http://127.0.0.1:" + consolePort;
    }

    /** The pipeline without one of its processes, before {@link #start}: one that a test does not need. */
    void without(String process) {
        wiring.remove(process);
    }

    /** More arguments for a process, before {@link #start}. */
    void configure(String process, String... arguments) {
        List<String> wired = new ArrayList<>(wiring.get(process));
        wired.addAll(List.of(arguments));
        wiring.put(process, wired);
    }

    /** What every app's process has written so far. */
    String appLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String process : wiring.keySet()) {
            if (log(process).exists()) {
                logs.append(Files.readString(log(process).toPath()));
            }
        }
        return logs.toString();
    }

    String collectorUrl() {
        return "http://127.0.0.1:" + collectorPort;
    }

    void start() throws IOException, InterruptedException {
        for (String process : wiring.keySet()) {
            running.put(process, launch(process));
        }
        for (String process : wiring.keySet()) {
            awaitStarted(process, 1);
        }
    }

    /** Kills an app as a crash would ({@code kill -9}: no shutdown hooks, nothing flushed), then starts it again. */
    void crashAndRestart(String app) throws IOException, InterruptedException {
        Process process = running.get(app);
        int startsBefore = starts(app);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(app + " did not die of SIGKILL");
        }
        running.put(app, launch(app));
        awaitStarted(app, startsBefore + 1);
    }

    /** Runs a command of the command line and returns its exit code; its output goes to target/NAME/COMMAND.log. */
    int cli(String... arguments) throws IOException, InterruptedException {
        Process process = cliInBackground(arguments);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mailpulse " + arguments[0] + " did not finish");
        }
        return process.exitValue();
    }

    Process cliInBackground(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", ROOT.resolve("mailpulse-cli/target/mailpulse-cli.jar").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(arguments[0]));
        environment(builder.environment());
        return builder.start();
    }

    /** Checks the read model and the live counters against a ground truth until they match or {@code patience} has passed. */
    boolean matchesGroundTruth(Path truth, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        do {
            if (cli("check", truth.toString(), "--redis-prefix", redisPrefix) == 0) {
                return true;
            }
            Thread.sleep(2_000);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** The last check's summary: how many buckets and events matched, in the read model and in the live counters. */
    String lastCheck() throws IOException {
        return String.join("\n", Files.readString(log("check").toPath()).lines().filter(line -> !line.startsWith("  ")).toList());
    }

    @Override
    public void close() throws InterruptedException {
        for (Process app : running.values()) {
            app.destroy();
        }
        for (Process app : running.values()) {
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private Process launch(String process) throws IOException {
        String app = process.replaceFirst("-\\d+$", "");
        String module = app.equals(CONSOLE) ? app : "stream-apps/" + app;
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar",
                ROOT.resolve(module + "/target/" + app + "-" + VERSION + ".jar").toString()));
        command.addAll(wiring.get(process));
        if (!app.equals("source-collector") && !app.equals(COMPOSED) && !app.equals(CONSOLE)) {
            command.add("--server.port=0"); // the actuator's; several instances share this host
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(process)));
        environment(builder.environment());
        return builder.start();
    }

    private void environment(Map<String, String> environment) {
        environment.put("MAILPULSE_DB_URL", db.jdbcUrl());
        environment.put("MAILPULSE_DB_USER", db.user());
        environment.put("MAILPULSE_DB_PASSWORD", db.password());
        environment.put("MAILPULSE_RABBIT_URL", TestRabbit.uri());
        environment.put("MAILPULSE_REDIS_URL", TestRedis.uri());
        environment.put("MAILPULSE_RECIPIENT_HASH_SECRET", RECIPIENT_HASH_SECRET);
        environment.put("MAILPULSE_TASK_JARS", "daily-etl=" + ROOT.resolve("batch-jobs/daily-etl/target/daily-etl-" + VERSION + ".jar"));
    }

    private void awaitStarted(String app, int starts) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (starts(app) >= starts) {
                return;
            }
            if (!running.get(app).isAlive()) {
                throw new AssertionError(app + " stopped while starting; see " + log(app));
            }
            Thread.sleep(250);
        }
        throw new AssertionError(app + " did not start; see " + log(app));
    }

    private int starts(String app) throws IOException {
        File log = log(app);
        if (!log.exists()) {
            return 0;
        }
        Matcher matcher = STARTED.matcher(Files.readString(log.toPath()));
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    File log(String name) {
        return logs.resolve(name + ".log").toFile();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
