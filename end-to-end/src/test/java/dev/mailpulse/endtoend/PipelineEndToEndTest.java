package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;

/**
 * The whole real-time pipeline, each app its own process, fed by the traffic generator (through the API and the
 * providers' signed webhooks), and the read model and live counters checked against the generator's ground truth,
 * bucket by bucket. processor-validate runs as two instances partitioned by workspace, as scaled under SCDF, and
 * what they publish is watched: no event may come out of them twice.
 */
class PipelineEndToEndTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    @Test
    void generatedTrafficThroughEveryAppEqualsItsGroundTruth() throws Exception {
        try (Pipeline pipeline = new Pipeline("end-to-end", DB, RABBIT, REDIS, 2)) {
            String validated = pipeline.watchOutputOf("processor-validate");
            pipeline.start();
            Path truth = Path.of("target/end-to-end/ground-truth.json").toAbsolutePath();
            assertThat(pipeline.cli("generate", "--rate", "250", "--duration", "12", "--seed", "11", "--webhook-percent", "20",
                    "--collector", pipeline.collectorUrl(), "--truth", truth.toString())).as("the generator's run").isZero();
            boolean matches = pipeline.matchesGroundTruth(truth, Duration.ofSeconds(60));
            System.out.println(pipeline.lastCheck());
            assertThat(matches).as("every bucket equals the ground truth (" + pipeline.log("check") + ")").isTrue();

            List<String> published = pipeline.eventIdsPublished(validated);
            System.out.printf("The two processor-validate instances published %,d events, %,d distinct%n", published.size(),
                    new HashSet<>(published).size());
            assertThat(published).as("no event processed twice").doesNotHaveDuplicates();
        }
    }
}
