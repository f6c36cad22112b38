package dev.mailpulse.livecache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The live cache over real Redis and the store, without any app around it. */
class LiveCacheTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private static DSLContext db;

    @BeforeAll
    static void connect() {
        URI uri = URI.create(TestRedis.uri());
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Test
    void aCacheWithoutTheMarkOfARebuildTakesNothingUntilItIsRebuilt() {
        LiveCacheProperties properties = new LiveCacheProperties(REDIS.prefix(), Duration.ofMinutes(10), Duration.ofHours(48), 1_000, 10_000,
                Duration.ofHours(48));
        LiveCache cache = new LiveCache(redis, properties, Clock.systemUTC());
        CacheReconciler reconciler = new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
        UUID workspace = UUID.randomUUID();
        List<Event> events = opens(workspace, 10);

        assertThat(cache.apply(events)).isEqualTo(LiveCache.NOT_RECONCILED);
        assertThat(cache.feed(workspace, 10)).isEmpty();
        assertThat(reconciler.apply(events)).isEqualTo(10);
        assertThat(reconciler.apply(events)).as("a redelivery counts nothing").isZero();
        assertThat(cache.feed(workspace, 10)).hasSize(10);
        long minute = LiveCacheKeys.minuteOf(events.get(0).occurredAt());
        assertThat(cache.minute(workspace, LiveCacheKeys.ALL_CAMPAIGNS, Instant.ofEpochSecond(minute))).containsEntry("email.open", 10L);
        assertThat(cache.minute(workspace, "spring", Instant.ofEpochSecond(minute))).containsEntry("email.open", 10L);
        assertThat(cache.uniques(workspace, "spring", "email.open", false)).isEqualTo(10);
        assertThat(redis.opsForStream().size(cache.keys().liveStream(workspace))).isEqualTo(10);
        assertThat(redis.hasKey(cache.keys().minute(workspace, null, minute))).as("events of no campaign have keys of their own").isFalse();
    }

    private static List<Event> opens(UUID workspace, int count) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("event_id", UUID.randomUUID().toString());
            e.put("workspace_id", workspace.toString());
            e.put("type", "email.open");
            e.put("schema_version", 1);
            e.put("occurred_at", at.toString());
            e.put("received_at", at.toString());
            e.put("source", "api");
            e.put("campaign_id", "spring");
            e.put("message_id", "<m" + i + "@x>");
            e.putObject("recipient").put("hash", String.format("%032x", i)).put("domain", "example.com");
            events.add(EventJson.fromJson(e));
        }
        return events;
    }
}
