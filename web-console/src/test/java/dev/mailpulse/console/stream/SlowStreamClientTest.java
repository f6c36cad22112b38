package dev.mailpulse.console.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.livecache.CacheReconciler;
import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheProperties;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;

/**
 * A client that subscribes and then never reads is disconnected once its socket has taken nothing for 5 s, and
 * meanwhile a client that reads goes on getting its events: the slow one delays no other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowStreamClientTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
        registry.add("mailpulse.cache.key-prefix", REDIS::prefix);
    }

    @LocalServerPort
    int port;
    @Autowired
    DSLContext db;
    @Autowired
    Workspaces workspaces;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    LiveCache cache;
    @Autowired
    LiveCacheProperties properties;
    @Autowired
    LiveStream stream;

    @Test
    void aClientThatNeverReadsIsDisconnected() throws Exception {
        Workspaces.Workspace shop = workspaces.create("stream-slow", "UTC", false).workspace();
        String key = workspaces.issueKey("stream-slow", "slow", KeyScope.READ).key();
        CacheReconciler writer = new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
        WebSocket.Listener neverReads = new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                // no request(n): nothing is ever read from the socket
            }
        };
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + key)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream"), neverReads).join();
        socket.sendText("{\"subscribe\": \"feed\"}", true).join();
        AtomicLong readByTheOther = new AtomicLong();
        WebSocket reading = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + key)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        readByTheOther.incrementAndGet();
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        reading.sendText("{\"subscribe\": \"counters\"}", true).join();
        waitUntil(() -> stream.clients() == 2);

        long deadline = System.nanoTime() + 60_000_000_000L;
        long readBefore = 0;
        while (stream.clients() > 1 && System.nanoTime() < deadline) {
            readBefore = readByTheOther.get();
            writer.apply(events(shop, 2_000)); // about 1.5 MB of events a round: more than the sockets' buffers hold
            Thread.sleep(300);
        }
        assertThat(stream.clients()).as("the client that never reads, dropped; the other kept").isEqualTo(1);
        long readWhileTheSlowOneHung = readBefore;
        waitUntil(() -> readByTheOther.get() > readWhileTheSlowOneHung);
        assertThat(readByTheOther.get()).as("the reading client's counters went on").isGreaterThan(1);
    }

    private static List<Event> events(Workspaces.Workspace workspace, int count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(EventJson.fromJson(WireJson.MAPPER.readTree("""
                    {"event_id": "%s", "workspace_id": "%s", "type": "email.open", "schema_version": 1, "occurred_at": "%s", "received_at": "%s",
                     "source": "api", "campaign_id": "flood", "message_id": "<m%d@example.com>", "user_agent": "%s",
                     "recipient": {"hash": "0123456789abcdef0123456789abcdef", "domain": "example.com"}}
                    """.formatted(UUID.randomUUID(), workspace.id(), now, now, i, "Mozilla/5.0 ".repeat(40)))));
        }
        return events;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
