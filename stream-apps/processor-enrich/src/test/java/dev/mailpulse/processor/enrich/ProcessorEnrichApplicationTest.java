package dev.mailpulse.processor.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** processor-enrich over the real broker and database. */
@SpringBootTest
class ProcessorEnrichApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static String input;
    private static String output;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        input = RABBIT.exchange("validated");
        output = RABBIT.exchange("enriched");
        RABBIT.queue("validated.mailpulse");
        RABBIT.queue("validated.mailpulse.dlq");
        RABBIT.queue("enriched.verify");
        DB.registerDataSource(registry);
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> input);
        registry.add("spring.cloud.stream.bindings.output.destination", () -> output);
        registry.add("spring.cloud.stream.bindings.output.producer.required-groups", () -> "verify");
        String failed = RABBIT.exchange("failed");
        RABBIT.queue("failed.verify");
        registry.add("spring.cloud.stream.bindings.failed.destination", () -> failed);
        registry.add("spring.cloud.stream.bindings.failed.producer.required-groups", () -> "verify");
    }

    @Autowired
    Workspaces workspaces;

    @Test
    void validatedEventsComeOutEnriched() throws Exception {
        UUID workspace = workspaces.create("enriching", "America/New_York", false).workspace().id();
        ObjectNode open = (ObjectNode) SCHEMAS.documents(EventType.EMAIL_OPEN).get(1).get("examples").get(0).deepCopy();
        open.put("workspace_id", workspace.toString());
        open.put("user_agent", "Mozilla/5.0");
        open.put("occurred_at", Instant.now().toString());
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(input, "", new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    ("[" + open + "]").getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);

            List<JsonNode> enriched = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (enriched.isEmpty() && System.nanoTime() < deadline) {
                GetResponse message = channel.basicGet(output + ".verify", true);
                if (message == null) {
                    Thread.sleep(100);
                } else {
                    JSON.readTree(message.getBody()).forEach(enriched::add);
                }
            }
            assertThat(enriched).singleElement().satisfies(event -> {
                JsonNode enrichment = event.get("enrichment");
                assertThat(enrichment.get("mailbox_provider").asString()).isEqualTo("gmail");
                assertThat(enrichment.get("machine_open").asBoolean()).isTrue();
                assertThat(enrichment.get("automated").asBoolean()).isTrue();
                assertThat(enrichment.get("time_zone").asString()).isEqualTo("America/New_York");
                assertThat(event.get("event_id")).isEqualTo(open.get("event_id"));
            });
        }
    }
}
