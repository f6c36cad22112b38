package dev.mailpulse.sink.timescale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sink as its own process, killed with SIGKILL while it is writing, then started again: the stored events and
 * every bucket of the read model must still be exactly what was sent, nothing lost and nothing twice.
 */
class SinkCrashTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    @Test
    void aSinkKilledInTheMiddleOfItsWorkLosesNothingAndCountsNothingTwice() throws Exception {
        String exchange = RABBIT.exchange("enriched");
        String queue = RABBIT.queue("enriched.mailpulse");
        RABBIT.queue("enriched.mailpulse.dlq");
        RABBIT.exchange("failed");
        RABBIT.queue("failed.mailpulse");
        RABBIT.queue("failed.mailpulse.dlq");
        UUID workspace = UUID.randomUUID();
        List<ObjectNode> events = SinkTestSupport.events(7, workspace, 40_000);
        List<ObjectNode> sent = new ArrayList<>(events);
        sent.addAll(events.subList(10_000, 14_000)); // redeliveries mixed in
        Set<String> distinct = new HashSet<>();
        events.forEach(e -> distinct.add(e.get("event_id").asString()));

        Process first = startSink("first");
        try {
            SinkTestSupport.await("the sink's queue", Duration.ofSeconds(90), () -> queueExists(queue));
            SinkTestSupport.publish(RABBIT, exchange, sent, 250);
            SinkTestSupport.await("some stored events", Duration.ofSeconds(60), () -> stored(workspace) > 3_000);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop, a batch in flight
            first.waitFor();
        }
        long atKill = stored(workspace);
        assertThat(atKill).as("killed while work remained").isLessThan(distinct.size());

        Process second = startSink("second");
        try {
            SinkTestSupport.await("every event stored", Duration.ofSeconds(120), () -> stored(workspace) == distinct.size());
            SinkTestSupport.await("the queue drained", Duration.ofSeconds(60), () -> messages(queue) == 0);
            Thread.sleep(1_000);
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(stored(workspace)).isEqualTo(distinct.size());
        for (String granularity : List.of("1 minute", "1 hour", "1 day")) {
            assertThat(readModelMismatches(workspace, granularity)).as("read model at " + granularity).isZero();
        }
        assertThat(total(workspace)).isEqualTo(distinct.size());
        System.out.printf("SinkCrashTest: %d events sent (%d distinct), %d stored when killed, %d stored after restart%n",
                sent.size(), distinct.size(), atKill, stored(workspace));
    }

    private Process startSink(String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = new File("target/sink-crash-" + name + ".log");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), SinkTimescaleApplication.class.getName(),
                "--spring.datasource.url=" + DB.jdbcUrl(),
                "--spring.datasource.username=" + DB.user(),
                "--spring.datasource.password=" + DB.password(),
                "--spring.rabbitmq.addresses=" + TestRabbit.uri(),
                "--spring.cloud.stream.bindings.input.destination=" + RABBIT.prefix() + ".enriched",
                "--spring.cloud.stream.bindings.failed.destination=" + RABBIT.prefix() + ".failed")
                .redirectErrorStream(true).redirectOutput(log).start();
    }

    private long stored(UUID workspace) {
        return query("SELECT count(*) FROM events WHERE workspace_id = ?", workspace);
    }

    private long total(UUID workspace) {
        return query("SELECT coalesce(sum(event_count), 0) FROM event_counts_1d WHERE workspace_id = ?", workspace);
    }

    /** Buckets where the read model differs from the same counts computed afresh from the raw store. */
    private long readModelMismatches(UUID workspace, String width) {
        String relation = switch (width) {
            case "1 minute" -> "event_counts_1m";
            case "1 hour" -> "event_counts_1h";
            default -> "event_counts_1d";
        };
        String fresh = """
                SELECT date_bin(interval '%s', occurred_at, timestamptz '2000-01-01 00:00:00+00') AS bucket, workspace_id, campaign_id,
                       event_type, mailbox_provider, count(*) AS c, count(*) FILTER (WHERE automated) AS a,
                       count(DISTINCT recipient_hash) FILTER (WHERE event_type IN ('email.open', 'email.click')) AS u,
                       count(DISTINCT recipient_hash) FILTER (WHERE event_type IN ('email.open', 'email.click') AND NOT automated) AS h
                FROM events WHERE workspace_id = '%s' GROUP BY 1, 2, 3, 4, 5""".formatted(width, workspace);
        String model = """
                SELECT bucket, workspace_id, campaign_id, event_type, mailbox_provider, event_count, automated_count,
                       unique_recipients, unique_human_recipients FROM %s WHERE workspace_id = '%s'""".formatted(relation, workspace);
        return query("SELECT (SELECT count(*) FROM ((" + fresh + ") EXCEPT (" + model + ")) a) + (SELECT count(*) FROM ((" + model
                + ") EXCEPT (" + fresh + ")) b) WHERE ? IS NOT NULL", workspace);
    }

    private long query(String sql, UUID workspace) {
        try (Connection connection = DB.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, workspace);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean queueExists(String queue) {
        return messages(queue) >= 0;
    }

    private long messages(String queue) {
        try (com.rabbitmq.client.Connection connection = RABBIT.connectionFactory().newConnection()) {
            Channel channel = connection.createChannel();
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            return -1;
        }
    }
}
