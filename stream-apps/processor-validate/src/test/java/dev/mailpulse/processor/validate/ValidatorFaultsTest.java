package dev.mailpulse.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.DeadLetterQueues;
import io.micrometer.core.instrument.MeterRegistry;
import dev.mailpulse.hostile.HostileJson;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * processor-validate against what it must survive: hostile items inside good messages (each becomes a failure of its
 * own, the good events pass once, nothing is dead-lettered), and Redis or PostgreSQL going away while a message is
 * handled (it waits, holding the message, and passes it on once they are back).
 */
@SpringBootTest(properties = {"mailpulse.outage-retry.initial-backoff=100ms", "mailpulse.outage-retry.max-backoff=500ms",
        "mailpulse.validate.workspace-cache-ttl=0s", "spring.data.redis.timeout=500ms", "spring.datasource.hikari.connection-timeout=1000"})
class ValidatorFaultsTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    private static String input;
    private static String output;
    private static String failed;
    private static TcpProxy redisProxy;
    private static TcpProxy databaseProxy;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        input = RABBIT.exchange("collected");
        output = RABBIT.exchange("validated");
        failed = RABBIT.exchange("failed");
        RABBIT.queue("collected.mailpulse");
        RABBIT.queue("collected.mailpulse.dlq");
        RABBIT.queue("validated.verify");
        RABBIT.queue("failed.verify");
        URI redis = URI.create(TestRedis.uri());
        redisProxy = new TcpProxy(redis.getHost(), redis.getPort());
        URI database = URI.create(DB.jdbcUrl().substring("jdbc:".length()));
        databaseProxy = new TcpProxy(database.getHost(), database.getPort());
        DB.registerDataSource(registry);
        registry.add("spring.datasource.url", () -> DB.jdbcUrl().replace(database.getHost() + ":" + database.getPort(), "127.0.0.1:" + databaseProxy.port()));
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + redisProxy.port());
        registry.add("mailpulse.validate.dedup-key-prefix", () -> REDIS.prefix() + "dedup:");
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> input);
        registry.add("spring.cloud.stream.bindings.output.destination", () -> output);
        registry.add("spring.cloud.stream.bindings.output.producer.required-groups", () -> "verify");
        registry.add("spring.cloud.stream.bindings.failed.destination", () -> failed);
        registry.add("spring.cloud.stream.bindings.failed.producer.required-groups", () -> "verify");
    }

    @AfterAll
    static void closeProxies() throws Exception {
        redisProxy.close();
        databaseProxy.close();
    }

    @Autowired
    Workspaces workspaces;
    @Autowired
    DeadLetterQueues deadLetters;
    @Autowired
    MeterRegistry metrics;

    @Test
    void hostileItemsBecomeFailuresOfTheirOwnAndTheGoodEventsPassOnce() throws Exception {
        UUID workspace = workspaces.create("validating-hostile", "UTC", false).workspace().id();
        HostileJson generator = new HostileJson(5, workspace);
        Map<String, Integer> good = new HashMap<>();
        int hostile = 0;
        for (int message = 0; message < 30; message++) {
            List<HostileJson.Item> items = generator.items(100, 0.1, true);
            items.add(generator.invalid(true));
            for (HostileJson.Item item : items) {
                if (item.good()) {
                    good.merge(item.eventId(), 1, Integer::sum);
                } else {
                    hostile++;
                }
            }
            ValidatorQueues.publish(RABBIT, input, HostileJson.array(items));
        }
        Map<String, Integer> passed = new HashMap<>();
        List<JsonNode> valid = ValidatorQueues.drain(RABBIT, output + ".verify", good.size());
        for (JsonNode event : valid) {
            String id = event.get("event_id").asString();
            if (good.containsKey(id)) {
                passed.merge(id, 1, Integer::sum);
            }
        }
        List<JsonNode> failures = ValidatorQueues.drain(RABBIT, failed + ".verify", 30);
        System.out.printf("ValidatorFaultsTest: %d good events passed once; %d hostile items: %d failures, %d passed as valid%n",
                passed.size(), hostile, failures.size(), valid.size() - passed.size());
        assertThat(passed).isEqualTo(good);
        assertThat(valid.size() - passed.size() + failures.size()).as("every hostile item is a failure or a valid event").isEqualTo(hostile);
        assertThat(failures).allSatisfy(f -> assertThat(f.get("stage").asString()).isEqualTo("validate"));
        assertThat(RABBIT.depth("collected.mailpulse.dlq")).isZero();
    }

    @Test
    void healthAndMetricsReportTheDeadLetterQueuesDepthAskedOfTheBrokerOverAmqp() throws Exception {
        String dlq = input + ".mailpulse.dlq";
        assertThat(deadLetters.queues()).containsExactly(dlq);
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", dlq, null, "[]".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
        assertThat(deadLetters.health().getDetails().get("queues")).isEqualTo(Map.of(dlq, 1L));
        assertThat(metrics.get("mailpulse.dlq.depth").tag("queue", dlq).gauge().value()).isEqualTo(1.0);
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queuePurge(dlq);
        }
    }

    @Test
    void whileRedisOrTheDatabaseIsAwayTheMessageWaitsAndIsNeverDeadLettered() throws Exception {
        for (TcpProxy service : List.of(redisProxy, databaseProxy)) {
            UUID workspace = workspaces.create("validating-outage-" + service.port(), "UTC", false).workspace().id();
            HostileJson generator = new HostileJson(service.port(), workspace);
            List<HostileJson.Item> items = generator.items(50, 0, true);
            service.cut();
            try {
                ValidatorQueues.publish(RABBIT, input, HostileJson.array(items));
                Thread.sleep(3_000); // many attempts, past the binder's three
            } finally {
                service.restore();
            }
            List<JsonNode> valid = ValidatorQueues.drain(RABBIT, output + ".verify", items.size());
            assertThat(valid).extracting(e -> e.get("event_id").asString())
                    .containsExactlyInAnyOrderElementsOf(items.stream().map(HostileJson.Item::eventId).toList());
            assertThat(RABBIT.depth("collected.mailpulse.dlq")).isZero();
        }
    }
}
