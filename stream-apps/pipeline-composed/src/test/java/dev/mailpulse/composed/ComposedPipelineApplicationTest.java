package dev.mailpulse.composed;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M;
import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheProperties;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;

/**
 * The composed pipeline over the real services: events posted to its collector come out validated, de-duplicated,
 * enriched, stored, counted in the read model and in the live counters, and the invalid ones kept as failures.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ComposedPipelineApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.data.redis.url", TestRedis::uri);
        String destination = RABBIT.exchange("collected");
        RABBIT.queue("collected.mailpulse");
        RABBIT.queue("collected.mailpulse.dlq");
        registry.add("spring.cloud.stream.bindings.input.destination", () -> destination);
        registry.add("spring.cloud.stream.bindings.output.destination", () -> destination);
        String failed = RABBIT.exchange("failed");
        RABBIT.queue("failed.mailpulse");
        RABBIT.queue("failed.mailpulse.dlq");
        registry.add("spring.cloud.stream.bindings.failed.destination", () -> failed);
        registry.add("spring.cloud.stream.bindings.failures.destination", () -> failed);
        registry.add("mailpulse.cache.key-prefix", REDIS::prefix);
        registry.add("mailpulse.validate.dedup-key-prefix", () -> REDIS.prefix() + "dedup:");
        registry.add("mailpulse.collector.recipient-hash-secret", () -> "a-test-secret-of-32-bytes-length");
        registry.add("management.server.port", () -> "0");
    }

    @LocalServerPort
    int port;
    @Autowired
    Workspaces workspaces;
    @Autowired
    DSLContext db;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    LiveCacheProperties cacheProperties;

    @Test
    void postedEventsAreValidatedEnrichedStoredAndCountedOnce() throws Exception {
        Workspaces.Created acme = workspaces.create("composed", "UTC", false);
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        String open = """
                {"event_id":"%s","type":"email.open","schema_version":1,"occurred_at":"%s","campaign_id":"spring",
                 "message_id":"<m1@example.com>","recipient":"jane@icloud.com","user_agent":"Mozilla/5.0","ip":"17.58.101.4"}
                """.formatted(UUID.randomUUID(), minute.plusSeconds(1)).replace("\n", "");
        String send = """
                {"event_id":"%s","type":"email.send","schema_version":1,"occurred_at":"%s","campaign_id":"spring",
                 "message_id":"<m1@example.com>","recipient":"jane@icloud.com"}
                """.formatted(UUID.randomUUID(), minute.plusSeconds(2)).replace("\n", "");
        String invalid = """
                {"event_id":"%s","type":"email.bounce","schema_version":1,"occurred_at":"%s","recipient":"jane@icloud.com"}
                """.formatted(UUID.randomUUID(), minute.plusSeconds(3)).replace("\n", "");
        // the open twice: once in the first request, again in the second (a client's retry)
        String key = acme.key().key();
        assertThat(post(key, open + "\n" + send + "\n" + invalid + "\n").statusCode()).isEqualTo(202);
        assertThat(post(key, open + "\n").statusCode()).isEqualTo(202);

        UUID workspace = acme.workspace().id();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.fetchCount(FAILED_EVENTS, FAILED_EVENTS.WORKSPACE_ID.eq(workspace)) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000); // the retried open too
        assertThat(db.fetchCount(EVENTS, EVENTS.WORKSPACE_ID.eq(workspace))).isEqualTo(2);
        assertThat(db.select(FAILED_EVENTS.REASON).from(FAILED_EVENTS).where(FAILED_EVENTS.WORKSPACE_ID.eq(workspace)).fetchOne(0, String.class))
                .isEqualTo("schema_violation");
        var opened = db.selectFrom(EVENTS).where(EVENTS.WORKSPACE_ID.eq(workspace), EVENTS.EVENT_TYPE.eq("email.open")).fetchOne();
        assertThat(opened.getMailboxProvider()).isEqualTo("apple");
        assertThat(opened.getAutomated()).as("an Apple privacy-proxy open").isTrue();
        assertThat(db.select(DSL.sum(EVENT_COUNTS_1M.EVENT_COUNT)).from(EVENT_COUNTS_1M).where(EVENT_COUNTS_1M.WORKSPACE_ID.eq(workspace))
                .fetchOne(0, Long.class)).isEqualTo(2L);
        LiveCache live = new LiveCache(redis, cacheProperties, Clock.systemUTC());
        assertThat(live.minute(workspace, "spring", minute)).containsEntry("email.open", 1L).containsEntry("email.send", 1L)
                .containsEntry("email.open:automated", 1L);
    }

    private HttpResponse<String> post(String apiKey, String ndjson) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
