package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;

/**
 * The whole real-time pipeline as operators run it: each app its own process from its built jar, wired with the
 * destinations and groups SCDF gives them (here under a prefix of this test's own), over the real PostgreSQL,
 * RabbitMQ and Redis; fed by the traffic generator, and the read model checked against its ground truth, bucket by
 * bucket.
 */
class PipelineEndToEndTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private final List<Process> apps = new ArrayList<>();

    @AfterEach
    void stopApps() throws InterruptedException {
        for (Process app : apps) {
            app.destroy();
        }
        for (Process app : apps) {
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    @Test
    void generatedTrafficThroughEveryAppEqualsItsGroundTruth() throws Exception {
        String p = RABBIT.prefix();
        for (String destination : List.of("source-collector", "processor-validate", "processor-enrich", "failed")) {
            RABBIT.exchange(destination);
        }
        for (String queue : List.of("source-collector.mailpulse", "processor-validate.mailpulse", "processor-enrich.mailpulse",
                "processor-enrich.mailpulse-cache", "failed.mailpulse")) {
            RABBIT.queue(queue);
            RABBIT.queue(queue + ".dlq");
        }
        int collectorPort = freePort();
        Map<String, List<String>> wiring = new LinkedHashMap<>();
        wiring.put("sink-timescale", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".processor-enrich",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed"));
        wiring.put("sink-redis", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".processor-enrich",
                "--mailpulse.cache.key-prefix=" + REDIS.prefix()));
        wiring.put("processor-enrich", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".processor-validate",
                "--spring.cloud.stream.bindings.output.destination=" + p + ".processor-enrich"));
        wiring.put("processor-validate", List.of("--spring.cloud.stream.bindings.input.destination=" + p + ".source-collector",
                "--spring.cloud.stream.bindings.output.destination=" + p + ".processor-validate",
                "--spring.cloud.stream.bindings.failed.destination=" + p + ".failed",
                "--mailpulse.validate.dedup-key-prefix=" + REDIS.prefix() + "dedup:"));
        wiring.put("source-collector", List.of("--spring.cloud.stream.bindings.output.destination=" + p + ".source-collector",
                "--server.port=" + collectorPort, "--management.server.port=" + freePort()));
        for (Map.Entry<String, List<String>> app : wiring.entrySet()) {
            apps.add(start(app.getKey(), app.getValue()));
        }
        for (Map.Entry<String, List<String>> app : wiring.entrySet()) {
            awaitStarted(app.getKey());
        }

        Path truth = Path.of("target/ground-truth.json").toAbsolutePath();
        assertThat(cli("generate", "--rate", "250", "--duration", "12", "--seed", "11", "--collector", "http://127.0.0.1:" + collectorPort,
                "--truth", truth.toString())).as("the generator's run").isZero();
        int checked = -1;
        for (int attempt = 0; attempt < 30 && checked != 0; attempt++) {
            Thread.sleep(2_000);
            checked = cli("check", truth.toString());
        }
        System.out.println(Files.readString(Path.of("target/e2e-check.log")).lines().reduce((a, b) -> b).orElse(""));
        assertThat(checked).as("every bucket of the read model equals the ground truth (target/e2e-check.log)").isZero();
    }

    private Process start(String app, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar",
                ROOT.resolve("stream-apps/" + app + "/target/" + app + "-" + VERSION + ".jar").toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(app));
        environment(builder.environment());
        return builder.start();
    }

    private int cli(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", ROOT.resolve("mailpulse-cli/target/mailpulse-cli.jar").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log("e2e-" + arguments[0]));
        environment(builder.environment());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mailpulse " + arguments[0] + " did not finish");
        }
        return process.exitValue();
    }

    private void environment(Map<String, String> environment) {
        environment.put("MAILPULSE_DB_URL", DB.jdbcUrl());
        environment.put("MAILPULSE_DB_USER", DB.user());
        environment.put("MAILPULSE_DB_PASSWORD", DB.password());
        environment.put("MAILPULSE_RABBIT_URL", TestRabbit.uri());
        environment.put("MAILPULSE_REDIS_URL", TestRedis.uri());
        environment.put("MAILPULSE_RECIPIENT_HASH_SECRET", "an-end-to-end-secret-of-enough-length");
    }

    private static void awaitStarted(String app) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log(app).toPath()).matches("(?s).*Started \\S+ in [0-9.]+ seconds.*")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(app + " did not start; see " + log(app));
    }

    private static File log(String name) {
        return new File("target/" + name + ".log");
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
