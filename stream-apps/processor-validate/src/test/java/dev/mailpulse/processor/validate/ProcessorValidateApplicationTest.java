package dev.mailpulse.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** processor-validate over the real broker, Redis and database. */
@SpringBootTest
class ProcessorValidateApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static String input;
    private static String output;
    private static String failed;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        input = RABBIT.exchange("collected");
        output = RABBIT.exchange("validated");
        failed = RABBIT.exchange("failed");
        RABBIT.queue("collected.mailpulse");
        RABBIT.queue("collected.mailpulse.dlq");
        RABBIT.queue("validated.verify");
        RABBIT.queue("failed.verify");
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
        registry.add("mailpulse.validate.dedup-key-prefix", () -> REDIS.prefix() + "dedup:");
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> input);
        registry.add("spring.cloud.stream.bindings.output.destination", () -> output);
        registry.add("spring.cloud.stream.bindings.output.producer.required-groups", () -> "verify");
        registry.add("spring.cloud.stream.bindings.failed.destination", () -> failed);
        registry.add("spring.cloud.stream.bindings.failed.producer.required-groups", () -> "verify");
    }

    @Autowired
    Workspaces workspaces;
    @Autowired
    StringRedisTemplate redis;

    @Test
    void theSameEventDeliveredTenTimesPassesOnceAndEveryRejectionGoesToFailedWithItsReason() throws Exception {
        UUID workspace = workspaces.create("validating", "UTC", false).workspace().id();
        ObjectNode open = example(EventType.EMAIL_OPEN, workspace);
        for (int i = 0; i < 10; i++) {
            ValidatorQueues.publish(RABBIT, input, "[" + open + "," + open + "]");
        }
        ObjectNode unknownType = example(EventType.EMAIL_SEND, workspace).put("type", "email.teleport");
        ObjectNode unknownVersion = example(EventType.EMAIL_SEND, workspace).put("schema_version", 9);
        ObjectNode invalid = example(EventType.EMAIL_BOUNCE, workspace);
        ((ObjectNode) invalid.get("attributes")).put("bounce_kind", "permanent");
        ObjectNode future = example(EventType.EMAIL_SEND, workspace).put("occurred_at", Instant.now().plus(Duration.ofHours(1)).toString());
        ObjectNode old = example(EventType.EMAIL_SEND, workspace).put("occurred_at", Instant.now().minus(Duration.ofDays(40)).toString());
        ObjectNode stranger = example(EventType.EMAIL_SEND, UUID.randomUUID());
        ValidatorQueues.publish(RABBIT, input, "[" + String.join(",", List.of(unknownType.toString(), unknownVersion.toString(), invalid.toString(), future.toString(),
                old.toString(), stranger.toString(), "42")) + "]");
        ValidatorQueues.publish(RABBIT, input, "{not json");

        List<JsonNode> passed = ValidatorQueues.drain(RABBIT, output + ".verify", 1);
        List<JsonNode> failures = ValidatorQueues.drain(RABBIT, failed + ".verify", 8);
        assertThat(passed).singleElement().satisfies(e -> assertThat(e.get("event_id")).isEqualTo(open.get("event_id")));
        Map<String, String> reasons = failures.stream().collect(Collectors.toMap(
                f -> f.path("reason").asString() + (f.has("field") ? " " + f.get("field").asString() : ""), f -> f.get("stage").asString(), (a, b) -> a));
        assertThat(reasons).containsOnlyKeys("unknown_type /type", "unknown_schema_version /schema_version",
                "schema_violation /attributes/bounce_kind", "time_out_of_range /occurred_at", "unknown_workspace /workspace_id", "unreadable");
        assertThat(failures).hasSize(8).allSatisfy(f -> assertThat(f.has("payload") || f.has("raw_payload")).isTrue());
        assertThat(redis.hasKey(REDIS.prefix() + "dedup:" + workspace + ":" + open.get("event_id").asString()))
                .as("the de-duplication state is in Redis, so it survives a restart").isTrue();
    }

    private static ObjectNode example(EventType type, UUID workspace) {
        ObjectNode event = (ObjectNode) SCHEMAS.documents(type).get(1).get("examples").get(0).deepCopy();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("workspace_id", workspace.toString());
        event.put("occurred_at", Instant.now().minusSeconds(60).toString());
        return event;
    }
}
