package dev.mailpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.FailedEventStore;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.json.JsonMapper;

class FailedCommandTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void listsAFailureAndReplaysItFixedIntoValidation() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        var db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        UUID workspace = new Workspaces(db).create("replaying", "UTC", false).workspace().id();
        var payload = JsonMapper.builder().build().readTree(
                "{\"type\":\"email.bounce\",\"workspace_id\":\"" + workspace + "\",\"attributes\":{\"bounce_kind\":\"permanent\"}}");
        new FailedEventStore().store(db, List.of(new FailedEvent(workspace, UUID.randomUUID(), Stage.VALIDATE, FailureReason.SCHEMA_VIOLATION,
                "/attributes/bounce_kind", "must be one of hard, soft, block", payload, null)));
        UUID failureId = (UUID) db.fetchValue("SELECT failure_id FROM failed_events");

        String exchange = RABBIT.exchange("collected");
        String queue = RABBIT.queue("collected.mailpulse"); // processor-validate's group
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, Map.of());

            Map<String, String> env = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user(),
                    "MAILPULSE_RABBIT_URL", TestRabbit.uri(), "MAILPULSE_REPLAY_DESTINATION", exchange);
            assertThat(cli(env).run("failed", "list", "--workspace", "replaying")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(failureId.toString(), "schema_violation", "/attributes/bounce_kind");

            assertThat(cli(env).run("failed", "replay", "--id", failureId.toString(), "--set", "/attributes/bounce_kind=\"hard\"")).isZero();
            GetResponse replayed = channel.basicGet(queue, true);
            assertThat(new String(replayed.getBody(), StandardCharsets.UTF_8)).contains("\"bounce_kind\":\"hard\"");
            assertThat(replayed.getProps().getHeaders().get("mailpulse_workspace")).hasToString(workspace.toString());
            assertThat(db.fetchValue("SELECT replay_count FROM failed_events")).isEqualTo(1);

            // Partitioned by workspace, as SCDF deploys two validators: into the workspace's partition only.
            String partitioned = RABBIT.exchange("partitioned");
            List<String> partitions = List.of(RABBIT.queue("partitioned.mailpulse-0"), RABBIT.queue("partitioned.mailpulse-1"));
            for (String partition : partitions) {
                channel.queueDeclare(partition, true, false, false, Map.of());
            }
            Map<String, String> partitionedEnv = new java.util.HashMap<>(env);
            partitionedEnv.put("MAILPULSE_REPLAY_DESTINATION", partitioned);
            assertThat(cli(partitionedEnv).run("failed", "replay", "--id", failureId.toString())).isZero();
            int expected = Math.abs(workspace.toString().hashCode()) % 2;
            assertThat(channel.messageCount(partitions.get(expected))).isEqualTo(1);
            assertThat(channel.messageCount(partitions.get(1 - expected))).isZero();

            assertThat(cli(env).run("failed", "replay")).isEqualTo(2);
            assertThat(cli(env).run("failed", "replay", "--id", failureId.toString(), "--set", "attributes=1")).isEqualTo(2);
        }
    }

    private MailPulseCli cli(Map<String, String> env) {
        return new MailPulseCli(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
