package dev.mailpulse.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.livecache.CacheReconciler;
import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheKeys;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** sink-redis over the real broker, Redis and database, against a known ground truth. */
@SpringBootTest(properties = "mailpulse.cache.reconcile-check=1h")
class SinkRedisApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    private static String enriched;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        enriched = RABBIT.exchange("enriched");
        RABBIT.queue("enriched.mailpulse-cache");
        RABBIT.queue("enriched.mailpulse-cache.dlq");
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
        registry.add("mailpulse.cache.key-prefix", REDIS::prefix);
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> enriched);
    }

    @Autowired
    LiveCache cache;
    @Autowired
    CacheReconciler reconciler;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    DSLContext db;
    @Autowired
    MeterRegistry metrics;

    @Test
    void countersEqualTheGroundTruthWhateverTheRedeliveriesAndOrder() throws Exception {
        UUID workspace = UUID.randomUUID();
        List<ObjectNode> events = events(workspace, 3_000, 11);
        List<ObjectNode> sent = new ArrayList<>(events);
        sent.addAll(events.subList(0, 1_000)); // redelivered
        Collections.shuffle(sent, new Random(3)); // and out of order
        double consumed = consumed();
        publish(sent, 200);

        Truth truth = Truth.of(events);
        awaitConsumed(consumed + sent.size());
        assertCacheEquals(workspace, truth);
        assertThat(cache.feed(workspace, 5000)).hasSize(1_000);
        assertThat(redis.opsForStream().size(cache.keys().liveStream(workspace))).isGreaterThanOrEqualTo(3_000);
        assertThat(cache.ratePerMinute(workspace, LiveCacheKeys.ALL_CAMPAIGNS, "email.send", 60)).isPositive();
    }

    @Test
    void aLostCacheIsRebuiltFromOneSnapshotWhileEventsAreWrittenAndStillQueued() throws Exception {
        UUID workspace = UUID.randomUUID();
        List<ObjectNode> before = events(workspace, 5_000, 12);
        store(before); // what sink-timescale wrote before Redis was lost
        reconciler.apply(before.stream().map(EventJson::fromJson).toList());
        assertCacheEquals(workspace, Truth.of(before));

        redis.delete(redis.keys(REDIS.prefix() + "*")); // Redis restarted without its data
        assertThat(cache.minute(workspace, LiveCacheKeys.ALL_CAMPAIGNS, Truth.of(before).anyMinute())).isEmpty();

        // While the cache is rebuilt, sink-timescale goes on committing, a hundred events a transaction.
        List<ObjectNode> during = events(workspace, 3_000, 14);
        Thread writer = new Thread(() -> {
            for (int from = 0; from < during.size(); from += 100) {
                store(during.subList(from, from + 100));
            }
        });
        writer.start();
        long started = System.nanoTime();
        reconciler.ensureReconciled(); // as the consumer does, under the rebuild's lock
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        writer.join();
        System.out.printf("SinkRedisApplicationTest: rebuilt in %d ms while 3,000 events were committed%n", tookMillis);

        // Every event's message is still queued for the cache (it lags the store).
        List<ObjectNode> queued = new ArrayList<>(before);
        queued.addAll(during);
        double consumed = consumed();
        publish(queued, 200);
        awaitConsumed(consumed + queued.size());
        List<ObjectNode> all = new ArrayList<>(before);
        all.addAll(during);
        assertCacheEquals(workspace, Truth.of(all)); // each counted once: by the rebuild or from its message
    }

    private void store(List<ObjectNode> events) {
        List<Event> parsed = events.stream().map(EventJson::fromJson).toList();
        db.transaction(tx -> new EventStore().store(tx.dsl(), parsed));
    }

    private void assertCacheEquals(UUID workspace, Truth truth) {
        truth.minutes.forEach((key, counts) -> assertThat(cache.minute(workspace, key.campaign(), key.minute()))
                .as(key.toString()).isEqualTo(counts));
        truth.uniques.forEach((key, recipients) -> assertThat((double) cache.uniques(workspace, key.campaign(), key.type(), key.human()))
                .as(key.toString()).isCloseTo(recipients.size(), within(Math.max(1.0, recipients.size() * 0.02))));
    }

    /** The events the consumers have taken so far, applied or found counted already. */
    private double consumed() {
        return metrics.find("mailpulse.cache.events").tag("outcome", "applied").counters().stream().mapToDouble(c -> c.count()).sum()
                + metrics.find("mailpulse.cache.events").tag("outcome", "duplicate").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * Waits until the consumers have taken this many events: not until one event is seen, since the two consumers take
     * messages in turns and the one before the last may still be applying when the last is done.
     */
    private void awaitConsumed(double events) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumed() < events && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(consumed()).as("events consumed").isEqualTo(events);
        Thread.sleep(500); // anything more would be counted twice: let it show
        assertThat(consumed()).as("events consumed").isEqualTo(events);
    }

    private void publish(List<ObjectNode> events, int perMessage) throws Exception {
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int from = 0; from < events.size(); from += perMessage) {
                ArrayNode batch = JsonNodeFactory.instance.arrayNode();
                events.subList(from, Math.min(events.size(), from + perMessage)).forEach(batch::add);
                channel.basicPublish(enriched, "", new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json").build(),
                        batch.toString().getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** Events of the last hour, as processor-enrich sends them. */
    private static List<ObjectNode> events(UUID workspace, int count, long seed) {
        Random random = new Random(seed);
        String[] types = {"email.send", "email.deliver", "email.open", "email.click", "email.bounce"};
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String type = types[random.nextInt(types.length)];
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("event_id", new UUID(random.nextLong(), random.nextLong()).toString());
            e.put("workspace_id", workspace.toString());
            e.put("type", type);
            e.put("schema_version", 1);
            e.put("occurred_at", now.minusSeconds(random.nextInt(3_600)).toString());
            e.put("received_at", now.toString());
            e.put("source", "api");
            if (random.nextInt(5) > 0) {
                e.put("campaign_id", "campaign-" + random.nextInt(3));
            }
            e.put("message_id", "<m" + i + "@x>");
            e.putObject("recipient").put("hash", String.format("%032x", random.nextInt(400))).put("domain", "example.com");
            ObjectNode attributes = e.putObject("attributes");
            if (type.equals("email.bounce")) {
                attributes.put("bounce_kind", "soft");
            }
            if (type.equals("email.click")) {
                e.put("link_url", "https://example.com/x");
            }
            e.putObject("enrichment").put("mailbox_provider", "gmail")
                    .put("automated", (type.equals("email.open") || type.equals("email.click")) && random.nextInt(4) == 0);
            events.add(e);
        }
        return events;
    }

    /** What the cache must hold for a set of distinct events. */
    record Truth(Map<MinuteKey, Map<String, Long>> minutes, Map<UniqueKey, Set<String>> uniques) {

        record MinuteKey(String campaign, Instant minute) {
        }

        record UniqueKey(String campaign, String type, boolean human) {
        }

        static Truth of(List<ObjectNode> events) {
            Map<MinuteKey, Map<String, Long>> minutes = new HashMap<>();
            Map<UniqueKey, Set<String>> uniques = new HashMap<>();
            for (ObjectNode e : events) {
                String campaign = e.has("campaign_id") ? e.get("campaign_id").asString() : LiveCacheKeys.NO_CAMPAIGN;
                Instant minute = Instant.ofEpochSecond(LiveCacheKeys.minuteOf(Instant.parse(e.get("occurred_at").asString())));
                String type = e.get("type").asString();
                boolean automated = e.get("enrichment").get("automated").asBoolean();
                for (String c : List.of(campaign, LiveCacheKeys.ALL_CAMPAIGNS)) {
                    Map<String, Long> counts = minutes.computeIfAbsent(new MinuteKey(c, minute), k -> new HashMap<>());
                    counts.merge(type, 1L, Long::sum);
                    if (automated) {
                        counts.merge(type + ":automated", 1L, Long::sum);
                    }
                }
                if (type.equals("email.open") || type.equals("email.click")) {
                    String recipient = e.get("recipient").get("hash").asString();
                    uniques.computeIfAbsent(new UniqueKey(campaign, type, false), k -> new HashSet<>()).add(recipient);
                    if (!automated) {
                        uniques.computeIfAbsent(new UniqueKey(campaign, type, true), k -> new HashSet<>()).add(recipient);
                    }
                }
            }
            return new Truth(minutes, uniques);
        }

        Instant anyMinute() {
            return minutes.keySet().iterator().next().minute();
        }
    }
}
