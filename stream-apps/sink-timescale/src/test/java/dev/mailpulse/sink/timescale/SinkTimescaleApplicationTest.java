package dev.mailpulse.sink.timescale;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1D;
import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.core.validation.Validation;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.hostile.HostileJson;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** sink-timescale over the real broker and database (the database behind a proxy, so a test can take it away). */
@SpringBootTest(properties = {"mailpulse.outage-retry.initial-backoff=100ms", "mailpulse.outage-retry.max-backoff=500ms"})
class SinkTimescaleApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TcpProxy database;
    private static String enriched;
    private static String failed;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        enriched = RABBIT.exchange("enriched");
        failed = RABBIT.exchange("failed");
        RABBIT.queue("enriched.mailpulse");
        RABBIT.queue("enriched.mailpulse.dlq");
        RABBIT.queue("failed.mailpulse");
        RABBIT.queue("failed.mailpulse.dlq");
        registry.add("spring.datasource.url", () -> {
            try {
                java.net.URI server = java.net.URI.create(DB.jdbcUrl().substring("jdbc:".length()));
                database = new TcpProxy(server.getHost(), server.getPort());
                return "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + DB.name();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        registry.add("spring.datasource.username", DB::user);
        registry.add("spring.datasource.password", DB::password);
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> enriched);
        registry.add("spring.cloud.stream.bindings.failed.destination", () -> failed);
    }

    @AfterAll
    static void closeProxy() throws Exception {
        database.close();
    }

    @Autowired
    DSLContext db;

    @Test
    void storesEventsOnceWhateverTheRedeliveriesAndKeepsTheReadModelExact() throws Exception {
        UUID workspace = UUID.randomUUID();
        List<ObjectNode> events = SinkTestSupport.events(1, workspace, 2_000);
        SinkTestSupport.publish(RABBIT, enriched, events, 200);
        SinkTestSupport.publish(RABBIT, enriched, events.subList(500, 900), 100); // a redelivery of some batches

        SinkTestSupport.await("2,000 stored events", Duration.ofSeconds(30), () -> stored(workspace) == 2_000);
        Thread.sleep(500); // let the redelivered batches finish too
        assertThat(stored(workspace)).isEqualTo(2_000);
        assertThat(db.select(DSL.sum(EVENT_COUNTS_1D.EVENT_COUNT)).from(EVENT_COUNTS_1D).where(EVENT_COUNTS_1D.WORKSPACE_ID.eq(workspace))
                .fetchOne(0, Long.class)).isEqualTo(2_000L);
        assertThat(db.fetchValue("SELECT count(*) FROM events WHERE workspace_id = ? AND mailbox_provider = 'unknown'", workspace))
                .isEqualTo(0L);
    }

    @Test
    void anUnreadableItemOrMessageBecomesAFailedEventAndTheRestIsStored() throws Exception {
        UUID workspace = UUID.randomUUID();
        List<ObjectNode> events = new ArrayList<>(SinkTestSupport.events(2, workspace, 3));
        events.get(1).put("event_id", "not-a-uuid");
        SinkTestSupport.publish(RABBIT, enriched, events, 10);
        SinkTestSupport.publishRaw(RABBIT, enriched, "this is not JSON".getBytes(StandardCharsets.UTF_8));

        SinkTestSupport.await("two stored events and two failures", Duration.ofSeconds(20),
                () -> stored(workspace) == 2 && db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace)) == 1
                        && db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.RAW_PAYLOAD.eq("this is not JSON")) == 1);
        assertThat(db.select(FAILED_EVENTS.REASON, FAILED_EVENTS.MESSAGE).from(FAILED_EVENTS).where(FAILED_EVENTS.STAGE.eq("store"))
                .fetch(r -> r.value1() + ": " + r.value2()))
                .anySatisfy(f -> assertThat(f).contains("unreadable", "/event_id"))
                .anySatisfy(f -> assertThat(f).contains("unreadable", "not JSON"));
        assertThat(db.fetch("SELECT raw_payload FROM failed_events WHERE raw_payload IS NOT NULL").getValues(0, String.class)).contains("this is not JSON");
    }

    @Test
    void failedEventsFromTheValidatorAreKeptOnce() throws Exception {
        UUID workspace = UUID.randomUUID();
        String failure = """
                [{"workspace_id":"%s","event_id":"%s","stage":"validate","reason":"schema_violation","field":"/attributes/bounce_kind",
                  "message":"must be one of hard, soft, block","payload":{"type":"email.bounce","attributes":{"bounce_kind":"permanent"}}}]
                """.formatted(workspace, UUID.randomUUID());
        SinkTestSupport.publishRaw(RABBIT, failed, failure.getBytes(StandardCharsets.UTF_8));
        SinkTestSupport.publishRaw(RABBIT, failed, failure.getBytes(StandardCharsets.UTF_8));
        SinkTestSupport.await("the failure", Duration.ofSeconds(20), () -> db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace)) == 1);
        Thread.sleep(500);
        assertThat(db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace))).isEqualTo(1);
    }

    @Test
    void aFailedEventOfNoKnownStageIsKeptWholeAndNothingIsDeadLettered() throws Exception {
        UUID workspace = UUID.randomUUID();
        String impossible = "[{\"workspace_id\":\"" + workspace
                + "\",\"stage\":\"teleport\",\"reason\":\"schema_violation\",\"message\":\"x\",\"payload\":{\"a\":1}}]";
        SinkTestSupport.publishRaw(RABBIT, failed, impossible.getBytes(StandardCharsets.UTF_8));
        SinkTestSupport.await("the refused failure, kept as text", Duration.ofSeconds(20),
                () -> db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace)) == 1);
        var kept = db.selectFrom(FAILED_EVENTS).where(FAILED_EVENTS.WORKSPACE_ID.eq(workspace)).fetchOne();
        assertThat(kept.getStage()).isEqualTo("store");
        assertThat(kept.getMessage()).contains("names no stage of the pipeline");
        assertThat(kept.getPayload().data()).as("kept whole").contains("teleport");
        assertThat(RABBIT.depth("failed.mailpulse.dlq")).isZero();
    }

    @Test
    void hostileItemsAndFailuresAreStoredOrKeptAsFailuresAndTheGoodEventsOnce() throws Exception {
        UUID workspace = UUID.randomUUID();
        HostileJson generator = new HostileJson(9, workspace);
        java.util.Set<String> good = new java.util.HashSet<>();
        int hostile = 0;
        java.util.Set<String> distinct = new java.util.HashSet<>(); // the same failure delivered again is kept once
        for (int message = 0; message < 20; message++) {
            List<HostileJson.Item> items = generator.items(100, 0.1, true);
            items.add(generator.invalid(true));
            for (HostileJson.Item item : items) {
                distinct.add(item.json());
                if (item.good()) {
                    good.add(item.eventId());
                } else {
                    hostile++;
                }
            }
            SinkTestSupport.publishRaw(RABBIT, enriched, HostileJson.array(items).getBytes(StandardCharsets.UTF_8));
            // The same items as failures of a stage before: whatever they hold, each is kept.
            String asFailures = "[" + String.join(",", items.stream().map(item -> "{\"workspace_id\":\"" + workspace
                    + "\",\"stage\":\"validate\",\"reason\":\"schema_violation\",\"field\":\"/x\\u0000\",\"message\":\"m\\ud800\",\"payload\":{\"item\":"
                    + item.json() + "}}").toList()) + "]";
            SinkTestSupport.publishRaw(RABBIT, failed, asFailures.getBytes(StandardCharsets.UTF_8));
        }
        int failures = distinct.size();
        SinkTestSupport.await("every good event stored", Duration.ofSeconds(60), () -> stored(workspace) >= good.size()
                && db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace).and(FAILED_EVENTS.STAGE.eq("validate"))) >= failures);
        Thread.sleep(500);
        assertThat(db.fetch("SELECT event_id::text FROM events WHERE workspace_id = ?", workspace).getValues(0, String.class))
                .as("the good events, once each, and any hostile item that was a valid event after all").containsAll(good).doesNotHaveDuplicates();
        assertThat(db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace).and(FAILED_EVENTS.STAGE.eq("validate"))))
                .as("every failure kept, whatever it held").isEqualTo(failures);
        System.out.printf("SinkTimescaleApplicationTest: %d good events stored once; %d hostile items: %d stored as events%n",
                good.size(), hostile, stored(workspace) - good.size());
        assertThat(RABBIT.depth("enriched.mailpulse.dlq")).isZero();
        assertThat(RABBIT.depth("failed.mailpulse.dlq")).isZero();
    }

    @Test
    void everyRejectionOfTheValidatorEndsInTheStoreWithItsReasonAndAFixedReplayFlowsThrough() throws Exception {
        UUID workspace = UUID.randomUUID();
        EventSchemas schemas = new EventSchemas();
        EventValidator validator = new EventValidator(schemas, Set.of(workspace)::contains,
                new EventValidator.TimeLimits(Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofDays(400)), Clock.systemUTC());
        ObjectNode bounce = example(schemas, EventType.EMAIL_BOUNCE, workspace);
        ((ObjectNode) bounce.get("attributes")).put("bounce_kind", "permanent");
        List<JsonNode> rejected = List.of(
                example(schemas, EventType.EMAIL_SEND, workspace).put("type", "email.teleport"),
                example(schemas, EventType.EMAIL_SEND, workspace).put("schema_version", 9),
                bounce,
                example(schemas, EventType.EMAIL_SEND, workspace).put("occurred_at", Instant.now().plus(Duration.ofHours(2)).toString()),
                example(schemas, EventType.EMAIL_SEND, workspace).put("occurred_at", Instant.now().minus(Duration.ofDays(45)).toString()),
                example(schemas, EventType.EMAIL_SEND, UUID.randomUUID()));
        ArrayNode failures = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : rejected) {
            failures.add(FailedEventJson.toJson(((Validation.Invalid) validator.validate(item)).failure()));
        }
        SinkTestSupport.publishRaw(RABBIT, failed, failures.toString().getBytes(StandardCharsets.UTF_8));

        SinkTestSupport.await("the six failures", Duration.ofSeconds(20), () -> db.fetchCount(FAILED_EVENTS,
                FAILED_EVENTS.STAGE.eq("validate").and(FAILED_EVENTS.PAYLOAD.isNotNull())
                        .and(DSL.field("payload->>'event_id'", String.class).in(rejected.stream().map(r -> r.get("event_id").asString()).toList()))) == 6);
        assertThat(db.select(FAILED_EVENTS.REASON, FAILED_EVENTS.FIELD).from(FAILED_EVENTS)
                .where(DSL.field("payload->>'event_id'", String.class).in(rejected.stream().map(r -> r.get("event_id").asString()).toList()))
                .fetch(r -> r.value1() + " " + r.value2()))
                .containsExactlyInAnyOrder("unknown_type /type", "unknown_schema_version /schema_version", "schema_violation /attributes/bounce_kind",
                        "time_out_of_range /occurred_at", "time_out_of_range /occurred_at", "unknown_workspace /workspace_id");

        // The operator fixes the stored payload and replays it (bin/mailpulse failed replay --set): it validates and is stored.
        JsonNode stored = JSON.readTree(db.select(FAILED_EVENTS.PAYLOAD).from(FAILED_EVENTS)
                .where(FAILED_EVENTS.REASON.eq("schema_violation"), DSL.field("payload->>'event_id'", String.class).eq(bounce.get("event_id").asString()))
                .fetchOne(FAILED_EVENTS.PAYLOAD).data());
        ((ObjectNode) stored.get("attributes")).put("bounce_kind", "hard");
        Validation replayed = validator.validate(stored);
        assertThat(replayed).isInstanceOf(Validation.Valid.class);
        SinkTestSupport.publishRaw(RABBIT, enriched, ("[" + EventJson.toJson(((Validation.Valid) replayed).event()) + "]").getBytes(StandardCharsets.UTF_8));
        SinkTestSupport.await("the replayed event stored", Duration.ofSeconds(20), () -> stored(workspace) == 1);
    }

    private static ObjectNode example(EventSchemas schemas, EventType type, UUID workspace) {
        ObjectNode event = (ObjectNode) schemas.documents(type).get(1).get("examples").get(0).deepCopy();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("workspace_id", workspace.toString());
        event.put("occurred_at", Instant.now().minusSeconds(60).toString());
        return event;
    }

    @Test
    void withTheDatabaseGoneTheSinkWaitsAndLosesNothing() throws Exception {
        UUID workspace = UUID.randomUUID();
        List<ObjectNode> events = SinkTestSupport.events(3, workspace, 1_000);
        database.cut();
        try {
            // 50 messages: more than the consumers hold unacknowledged (concurrency × prefetch), so some stay ready
            SinkTestSupport.publish(RABBIT, enriched, events, 20);
            Thread.sleep(2_000);
            try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
                long waiting = channel.messageCount(enriched + ".mailpulse");
                assertThat(waiting).as("messages stay in the broker while the database is away").isGreaterThan(0);
            }
        } finally {
            database.restore();
        }
        SinkTestSupport.await("1,000 stored events after the database returned", Duration.ofSeconds(60), () -> stored(workspace) == 1_000);
    }

    private int stored(UUID workspace) {
        return db.fetchCount(EVENTS, EVENTS.WORKSPACE_ID.eq(workspace));
    }
}
