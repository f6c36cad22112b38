package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.LocalServices;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;

/**
 * The pipeline under faults while the generator sends: every app is killed with SIGKILL once and started again,
 * RabbitMQ is restarted once and PostgreSQL once. Afterwards the read model and the live counters must still equal
 * the ground truth, bucket by bucket: nothing acknowledged is lost, nothing is counted twice.
 */
@Tag("faults")
class PipelineFaultTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    @Test
    void crashesAndRestartsLoseNothingAndCountNothingTwice() throws Exception {
        LocalServices.assumeRestartable();
        try (Pipeline pipeline = new Pipeline("faults", DB, RABBIT, REDIS, 1)) {
            pipeline.start();
            Path truth = Path.of("target/faults/ground-truth.json").toAbsolutePath();
            Process generator = pipeline.cliInBackground("generate", "--rate", "200", "--duration", "100", "--seed", "23",
                    "--webhook-percent", "20", "--collector", pipeline.collectorUrl(), "--truth", truth.toString());
            for (String app : Pipeline.APPS) {
                Thread.sleep(4_000);
                pipeline.crashAndRestart(app);
                System.out.println("killed -9 and restarted " + app);
            }
            Thread.sleep(3_000);
            LocalServices.restartRabbitMq();
            System.out.println("restarted RabbitMQ");
            Thread.sleep(6_000);
            LocalServices.restartPostgres();
            System.out.println("restarted PostgreSQL");

            assertThat(generator.waitFor(8, TimeUnit.MINUTES)).as("the generator finishes").isTrue();
            assertThat(generator.exitValue()).as("the generator's run (" + pipeline.log("generate") + ")").isZero();
            boolean matches = pipeline.matchesGroundTruth(truth, Duration.ofSeconds(120));
            System.out.println(pipeline.lastCheck());
            assertThat(matches).as("every bucket equals the ground truth after the faults (" + pipeline.log("check") + ")").isTrue();
        }
    }
}
