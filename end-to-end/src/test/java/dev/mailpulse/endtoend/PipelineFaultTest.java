package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.hostile.HostileJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.LocalServices;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;

/**
 * The pipeline under faults while the generator sends, and a careless client beside it sends a hostile item in every
 * request: every app is killed with SIGKILL once and started again, RabbitMQ, PostgreSQL and Redis (empty) are
 * restarted once each. Afterwards the read model and the live counters must still equal the ground truth, bucket by
 * bucket (nothing acknowledged is lost, nothing is counted twice), the careless client's good events are stored once,
 * each hostile item is kept as a failure, and no message was dead-lettered.
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
        DSLContext db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES); // a connection a use: PostgreSQL restarts meanwhile
        Workspaces.Created careless = new Workspaces(db).create("faults-careless-client", "UTC", false);
        UUID carelessId = careless.workspace().id();
        try (Pipeline pipeline = new Pipeline("faults", DB, RABBIT, REDIS, 1)) {
            pipeline.start();
            Path truth = Path.of("target/faults/ground-truth.json").toAbsolutePath();
            Process generator = pipeline.cliInBackground("generate", "--rate", "200", "--duration", "100", "--seed", "23",
                    "--webhook-percent", "20", "--collector", pipeline.collectorUrl(), "--truth", truth.toString());
            HostileSender hostile = new HostileSender(URI.create(pipeline.collectorUrl()), careless.key().key(), carelessId, 29).start();
            for (String app : Pipeline.APPS) {
                Thread.sleep(4_000);
                pipeline.crashAndRestart(app);
                System.out.println("killed -9 and restarted " + app);
            }
            Thread.sleep(3_000);
            LocalServices.restartRedis(); // mid-stream: the validator's memory and the live cache are gone at once
            System.out.println("restarted Redis, empty");
            Thread.sleep(6_000);
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

            hostile.close();
            assertThat(hostile.refusals()).as("the careless client's requests are all taken").isEmpty();
            List<HostileJson.Item> acknowledged = hostile.acknowledged();
            Set<String> good = acknowledged.stream().filter(HostileJson.Item::good).map(HostileJson.Item::eventId).collect(Collectors.toSet());
            List<HostileJson.Item> bad = acknowledged.stream().filter(item -> !item.good()).toList();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (storedOnce(db, carelessId, good) < good.size() && System.nanoTime() < deadline) {
                Thread.sleep(1_000);
            }
            List<String> failures = db.fetch("SELECT coalesce(payload::text, '') || coalesce(raw_payload, '') FROM failed_events WHERE workspace_id = ?",
                    carelessId).getValues(0, String.class);
            List<String> missing = bad.stream().filter(item -> item.eventId() != null)
                    .filter(item -> failures.stream().noneMatch(failure -> failure.contains(item.eventId()))).map(HostileJson.Item::kind).toList();
            System.out.printf("PipelineFaultTest: the careless client's %,d good events stored %,d times; %,d hostile items, %,d failures kept for them; "
                    + "%d messages dead-lettered%n", good.size(), db.fetchCount(EVENTS, EVENTS.WORKSPACE_ID.eq(carelessId)), bad.size(), failures.size(),
                    pipeline.deadLettered());
            assertThat(db.fetchCount(EVENTS, EVENTS.WORKSPACE_ID.eq(carelessId))).as("each good event stored once, no hostile one").isEqualTo(good.size());
            assertThat(storedOnce(db, carelessId, good)).isEqualTo(good.size());
            assertThat(missing).as("every hostile item kept as a failure").isEmpty();
            // The same failure delivered again is kept once, so hostile items alike (a bare 42) share one.
            assertThat(failures.size()).as("the hostile items without an id too")
                    .isGreaterThanOrEqualTo((int) bad.stream().map(HostileJson.Item::json).distinct().count());
            assertThat(pipeline.deadLettered()).as("no outage dead-letters a message").isZero();
        }
    }

    private static int storedOnce(DSLContext db, UUID workspace, Set<String> eventIds) {
        return db.fetchCount(DSL.selectDistinct(EVENTS.EVENT_ID).from(EVENTS).where(EVENTS.WORKSPACE_ID.eq(workspace),
                EVENTS.EVENT_ID.in(eventIds.stream().map(UUID::fromString).toList())));
    }
}
