package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.alerting.AlertRuleJson;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.livecache.CacheReconciler;
import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheProperties;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * The live stream as a client application uses it: events as the cache takes them, filtered as asked, resumed after
 * the last one seen; the workspace's own only; a key needed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveStreamTest {

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

    @Test
    void aClientSeesItsWorkspacesEventsWithinTwoSecondsFilteredAsAskedAndResumesAfterTheLastItSaw() throws Exception {
        Workspaces.Workspace shop = workspaces.create("stream-shop", "UTC", false).workspace();
        Workspaces.Workspace other = workspaces.create("stream-other", "UTC", false).workspace();
        String key = workspaces.issueKey("stream-shop", "live", KeyScope.READ).key();
        CacheReconciler writer = new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
        writer.apply(List.of(event(shop, "email.open", "spring")));

        Client client = Client.connect(port, key);
        client.send("{\"subscribe\": \"feed\", \"types\": [\"email.click\", \"email.open\"], \"campaign_id\": \"spring\"}");
        Thread.sleep(500); // subscribed after the event above: it is not sent
        List<Event> sent = List.of(event(shop, "email.open", "spring"), event(shop, "email.send", "spring"),
                event(shop, "email.click", "autumn"), event(other, "email.click", "spring"), event(shop, "email.click", "spring"));
        Instant appliedAt = Instant.now();
        writer.apply(sent);
        JsonNode first = client.next();
        JsonNode second = client.next();
        assertThat(Duration.between(appliedAt, Instant.now())).as("delivered within").isLessThan(Duration.ofSeconds(2));
        assertThat(List.of(first, second)).extracting(m -> m.get("event").get("event_id").asString())
                .containsExactly(sent.get(0).eventId().toString(), sent.get(4).eventId().toString());
        assertThat(client.nothingMoreWithin(Duration.ofMillis(800))).as("nothing of another type, campaign or workspace").isTrue();
        client.close();

        Event missed = event(shop, "email.open", "spring");
        writer.apply(List.of(missed));
        Client again = Client.connect(port, key);
        again.send("{\"subscribe\": \"feed\", \"after\": \"" + second.get("id").asString() + "\"}");
        assertThat(again.next().get("event").get("event_id").asString()).as("what came while away").isEqualTo(missed.eventId().toString());
        again.send("{\"subscribe\": \"gossip\"}");
        assertThat(again.next().get("reason").asString()).contains("feed, counters or alerts");
        again.send("{\"subscribe\": \"counters\", \"campaign_id\": \"spring\"}");
        JsonNode counters = again.next();
        assertThat(counters.get("type").asString()).isEqualTo("counters");
        again.close();
    }

    @Test
    void aClientFollowsItsWorkspacesAlertsAndResumesAfterTheLastItSaw() throws Exception {
        Workspaces.Workspace shop = workspaces.create("stream-alerts", "UTC", false).workspace();
        Workspaces.Workspace other = workspaces.create("stream-alerts-other", "UTC", false).workspace();
        String key = workspaces.issueKey("stream-alerts", "live", KeyScope.READ).key();
        UUID rule = rule(shop);
        UUID otherRule = rule(other);
        transition(rule, shop, "normal", "firing");
        Client client = Client.connect(port, key);
        client.send("{\"subscribe\": \"alerts\"}");
        Thread.sleep(500); // subscribed after the transition above: it is not sent
        Instant madeAt = Instant.now();
        transition(otherRule, other, "normal", "firing");
        transition(rule, shop, "firing", "resolved");
        JsonNode alert = client.next();
        assertThat(Duration.between(madeAt, Instant.now())).as("delivered within").isLessThan(Duration.ofSeconds(2));
        assertThat(alert.get("type").asString()).isEqualTo("alert");
        assertThat(alert.get("rule_id").asString()).isEqualTo(rule.toString());
        assertThat(alert.get("labels").get("mailbox_provider").asString()).isEqualTo("yahoo");
        assertThat(alert.get("from").asString() + " " + alert.get("to").asString()).isEqualTo("firing resolved");
        assertThat(client.nothingMoreWithin(Duration.ofMillis(800))).as("nothing of another workspace").isTrue();
        client.close();

        transition(rule, shop, "resolved", "normal");
        Client again = Client.connect(port, key);
        again.send("{\"subscribe\": \"alerts\", \"after\": " + alert.get("id").asLong() + "}");
        assertThat(again.next().get("to").asString()).as("what came while away").isEqualTo("normal");
        again.send("{\"subscribe\": \"alerts\", \"after\": \"yesterday\"}");
        assertThat(again.next().get("reason").asString()).startsWith("after: ");
        again.close();
    }

    private UUID rule(Workspaces.Workspace workspace) {
        return new AlertRules(db, workspace.id()).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.003}"""))).id();
    }

    /** A transition of the rule's Yahoo instance, as the alert evaluator writes it. */
    private void transition(UUID rule, Workspaces.Workspace workspace, String from, String to) {
        db.execute("""
                INSERT INTO alert_transitions (rule_id, labels, workspace_id, from_state, to_state, value, volume, at)
                VALUES (?, '{"mailbox_provider": "yahoo"}', ?, ?, ?, 0.004, 2500, now())""", rule, workspace.id(), from, to);
    }

    @Test
    void theLiveCountersAreWhatTheCacheCountedWithItsFreshness() throws Exception {
        Workspaces.Workspace shop = workspaces.create("live-counters", "UTC", false).workspace();
        String key = workspaces.issueKey("live-counters", "live", KeyScope.READ).key();
        new CacheReconciler(db, redis, cache, properties, Clock.systemUTC())
                .apply(List.of(event(shop, "email.open", "spring"), event(shop, "email.open", "spring"), event(shop, "email.click", "autumn")));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/live?campaign_id=spring&minutes=5"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode live = WireJson.MAPPER.readTree(answer.body());
        assertThat(live.get("minutes")).hasSize(5);
        long opens = 0;
        long clicks = 0;
        for (JsonNode minute : live.get("minutes")) {
            opens += minute.get("counts").path("email.open").asLong(0);
            clicks += minute.get("counts").path("email.click").asLong(0);
        }
        assertThat(opens).isEqualTo(2);
        assertThat(clicks).as("another campaign's").isZero();
        assertThat(Instant.parse(live.get("freshness").get("live_cache_as_of").asString())).isAfter(Instant.now().minusSeconds(60));
        assertThat(live.get("freshness").get("live_cache_lag_ms").asLong()).isNotNegative();
    }

    @Test
    void aSignedInMemberFollowsTheirWorkspaceFromTheConsolesOwnOriginOnly() throws Exception {
        Workspaces.Workspace shop = workspaces.create("stream-session", "UTC", false).workspace();
        workspaces.create("stream-session-other", "UTC", false);
        String password = new Users(db).create("stream-viewer@example.com", "stream-session", Role.VIEWER).password();
        ConsoleBrowser browser = new ConsoleBrowser(port);
        assertThat(browser.signIn("stream-viewer@example.com", password).statusCode()).isEqualTo(302);
        String cookie = "JSESSIONID=" + browser.session();
        String own = "http://127.0.0.1:" + port;

        Client client = Client.connect(port, "?workspace=stream-session", builder -> builder.header("Cookie", cookie).header("Origin", own));
        client.send("{\"subscribe\": \"feed\"}");
        Thread.sleep(500);
        Event event = event(shop, "email.open", "spring");
        new CacheReconciler(db, redis, cache, properties, Clock.systemUTC()).apply(List.of(event));
        assertThat(client.next().get("event").get("event_id").asString()).isEqualTo(event.eventId().toString());
        client.close();

        assertThat(Client.refused(port, "?workspace=stream-session", builder -> builder.header("Cookie", cookie).header("Origin", "http://evil.example")))
                .as("another site's page riding on the session").isTrue();
        assertThat(Client.refused(port, "?workspace=stream-session", builder -> builder.header("Origin", own))).as("no session").isTrue();
        Client notAMember = Client.connect(port, "?workspace=stream-session-other", builder -> builder.header("Cookie", cookie).header("Origin", own));
        assertThat(notAMember.closed().get(5, TimeUnit.SECONDS)).as("a workspace they do not belong to").contains("workspace=NAME");
    }

    @Test
    void theStreamNeedsAReadKey() {
        String ingestKey = workspaces.create("stream-ingest-only", "UTC", false).key().key();
        assertThat(Client.refused(port, null)).as("no key").isTrue();
        assertThat(Client.refused(port, ingestKey)).as("an ingest key").isTrue();
    }

    private static Event event(Workspaces.Workspace workspace, String type, String campaign) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return EventJson.fromJson(WireJson.MAPPER.readTree("""
                {"event_id": "%s", "workspace_id": "%s", "type": "%s", "schema_version": 1, "occurred_at": "%s", "received_at": "%s",
                 "source": "api", "campaign_id": "%s", "message_id": "<m@example.com>", "recipient": {"hash": "0123456789abcdef0123456789abcdef", "domain": "example.com"},
                 "link_url": "https://example.com/a"}
                """.formatted(UUID.randomUUID(), workspace.id(), type, now, now, campaign)));
    }

    /** A client application's end of the stream, with the JDK's WebSocket client. */
    private static final class Client implements WebSocket.Listener {

        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        private final CompletableFuture<String> closed = new CompletableFuture<>();

        static Client connect(int port, String key) {
            return connect(port, "", builder -> key == null ? builder : builder.header("Authorization", "Bearer " + key));
        }

        static Client connect(int port, String query, UnaryOperator<WebSocket.Builder> credentials) {
            Client client = new Client();
            client.socket = credentials.apply(HttpClient.newHttpClient().newWebSocketBuilder())
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream" + query), client).join();
            return client;
        }

        static boolean refused(int port, String key) {
            return refused(port, "", builder -> key == null ? builder : builder.header("Authorization", "Bearer " + key));
        }

        static boolean refused(int port, String query, UnaryOperator<WebSocket.Builder> credentials) {
            try {
                connect(port, query, credentials);
                return false;
            } catch (CompletionException e) {
                return true; // the handshake answered 401 or 403
            }
        }

        /** The reason the server closed with, once it has. */
        CompletableFuture<String> closed() {
            return closed;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(reason);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = received.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("a message within 5 s").isNotNull();
            return message;
        }

        boolean nothingMoreWithin(Duration wait) throws InterruptedException {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(WireJson.MAPPER.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
