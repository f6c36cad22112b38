package dev.mailpulse.source.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailpulse.collector.max-body-size=64KB",
        "mailpulse.collector.max-events=100",
        "mailpulse.collector.max-event-size=4KB",
        "mailpulse.collector.events-per-message=20",
        "mailpulse.collector.confirm-timeout=3s",
        "mailpulse.collector.credential-cache-ttl=0s"})
class SourceCollectorApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private static final TcpProxy BROKER = CollectorTestSupport.brokerProxy();
    private static String destination;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        destination = RABBIT.prefix() + ".collected";
        CollectorTestSupport.register(registry, DB, RABBIT, BROKER, destination);
    }

    @AfterAll
    static void closeProxy() throws Exception {
        BROKER.close();
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    Workspaces workspaces;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void acceptsEventsAndPublishesThemCompletedAndPseudonymised() throws Exception {
        Workspaces.Created acme = workspaces.create("accepting", "UTC", false);
        String body = """
                [{"event_id":"%s","type":"email.open","schema_version":1,"occurred_at":"2026-11-20T09:15:02Z",
                  "message_id":"<m1@example.com>","recipient":"Jane.Doe@Example.com","workspace_id":"%s","enrichment":{"x":1}},
                 42,
                 {"type":"email.send","recipient":"not an address"}]
                """.formatted(UUID.randomUUID(), acme.workspace().id());
        HttpResponse<String> response = post("/v1/events", acme.key().key(), "application/json", body);
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = CollectorTestSupport.JSON.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected")).hasSize(2);
        assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").get(1).get("reason").asString()).contains("recipient").doesNotContain("not an address");

        List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, 1, Duration.ofSeconds(5));
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.get("workspace_id").asString()).isEqualTo(acme.workspace().id().toString());
            assertThat(event.get("source").asString()).isEqualTo("api");
            assertThat(event.hasNonNull("received_at")).isTrue();
            assertThat(event.get("recipient").get("domain").asString()).isEqualTo("example.com");
            assertThat(event.get("recipient").get("hash").asString()).hasSize(32);
            assertThat(event.toString()).doesNotContainIgnoringCase("jane.doe");
            assertThat(event.has("enrichment")).isFalse();
        });

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/metrics/mailpulse.collector.events?tag=workspace:accepting&tag=source:api&tag=outcome:accepted")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(CollectorTestSupport.JSON.readTree(metrics.body()).get("measurements").get(0).get("value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void refusesWhatItCannotTakeWithTheStatusAndTheReason() throws Exception {
        Workspaces.Created ws = workspaces.create("refusing", "UTC", false);
        assertRefusal(post("/v1/events", null, "application/json", "{}"), 401, "API key is required", "Authorization");
        assertRefusal(post("/v1/events", "mp_unknown", "application/json", "{}"), 401, "not known", "Authorization");
        assertRefusal(post("/v1/events", ws.key().key(), "text/csv", "a,b"), 415, "Content-Type", "Content-Type");
        assertRefusal(post("/v1/events", ws.key().key(), "application/json", "{\"a\":"), 400, "not valid JSON", "line 1");
        assertRefusal(post("/v1/events", ws.key().key(), "application/json", "[" + "{},".repeat(100) + "{}]"), 413, "more than 100", "/100");
        assertRefusal(post("/v1/events", ws.key().key(), "application/json", "{\"x\":\"" + "y".repeat(70_000) + "\"}"), 413, "over the limit", "body");
        assertRefusal(post("/v1/events", ws.key().key(), "application/json", "[{\"x\":\"" + "y".repeat(5_000) + "\"}]"), 413, "event 0", "/0");
        assertRefusal(post("/v1/events", ws.key().key(), "application/json", "{\"workspace_id\":\"" + UUID.randomUUID() + "\"}"), 202, null, null);

        String readKey = workspaces.issueKey("refusing", "dashboards", KeyScope.READ).key();
        assertRefusal(post("/v1/events", readKey, "application/json", "{}"), 403, "sending events takes an ingest key", "Authorization");

        workspaces.revokeKey("refusing", ws.key().displayPrefix());
        assertRefusal(post("/v1/events", ws.key().key(), "application/json", "{}"), 403, "revoked", "Authorization");
        CollectorTestSupport.drain(RABBIT, destination, 0, Duration.ZERO);
    }

    @Test
    void theHistoryImportTakesAnAdminKeyOnlyAndMarksItsEventsAsImported() throws Exception {
        Workspaces.Created ws = workspaces.create("importing", "UTC", false);
        String adminKey = workspaces.issueKey("importing", "history import", KeyScope.ADMIN).key();
        String lines = """
                {"event_id":"%s","type":"email.send","schema_version":1,"occurred_at":"2025-12-01T09:00:00Z","source":"sendgrid","recipient":"ada@example.com"}
                not json
                """.formatted(UUID.randomUUID());
        assertRefusal(post("/v1/import", ws.key().key(), "application/x-ndjson", lines), 403, "importing history takes an admin key", "Authorization");
        assertRefusal(post("/v1/events", adminKey, "application/x-ndjson", lines), 403, "sending events takes an ingest key", "Authorization");
        HttpResponse<String> response = post("/v1/import", adminKey, "application/x-ndjson", lines);
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = CollectorTestSupport.JSON.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, 1, Duration.ofSeconds(5));
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.get("source").asString()).as("whatever the line claims").isEqualTo("import");
            assertThat(event.get("workspace_id").asString()).isEqualTo(ws.workspace().id().toString());
            assertThat(event.toString()).doesNotContain("ada@");
        });
    }

    @Test
    void aWorkspaceOverItsRateIsToldWhenToComeBack() throws Exception {
        Workspaces.Created ws = workspaces.create("limited", "UTC", false);
        workspaces.setEventsPerSecond("limited", 10);
        String fifty = "[" + "{\"type\":\"email.send\"},".repeat(49) + "{\"type\":\"email.send\"}]";
        assertThat(post("/v1/events", ws.key().key(), "application/json", fifty).statusCode()).isEqualTo(202);
        assertThat(post("/v1/events", ws.key().key(), "application/json", fifty).statusCode()).isEqualTo(202);
        HttpResponse<String> limited = post("/v1/events", ws.key().key(), "application/json", fifty);
        assertRefusal(limited, 429, "over its ingestion rate", "workspace");
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 10);
        CollectorTestSupport.drain(RABBIT, destination, 100, Duration.ofSeconds(5));
    }

    @Test
    void withTheBrokerGoneNothingIsAcknowledgedAndAfterItReturnsEveryAcknowledgedEventArrivesOnce() throws Exception {
        Workspaces.Created ws = workspaces.create("outage", "UTC", false);
        Set<String> acknowledged = new HashSet<>();
        List<String> refused = new ArrayList<>();

        sendBatch(ws, acknowledged, refused);
        BROKER.cut();
        for (int i = 0; i < 5; i++) {
            sendBatch(ws, acknowledged, refused);
        }
        assertThat(refused).hasSize(5 * 10);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("health reflects the broker").isEqualTo(503);

        BROKER.restore();
        List<String> retried = new ArrayList<>(refused);
        refused.clear();
        for (int attempt = 0; attempt < 20 && !retried.isEmpty(); attempt++) {
            resend(ws, retried, acknowledged, refused);
            retried = new ArrayList<>(refused);
            refused.clear();
            if (!retried.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertThat(retried).as("every event is taken once the broker is back").isEmpty();

        List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, acknowledged.size(), Duration.ofSeconds(10));
        List<String> ids = published.stream().map(e -> e.get("event_id").asString()).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(acknowledged);
        assertThat(acknowledged).hasSize(60);
    }

    private void sendBatch(Workspaces.Created ws, Set<String> acknowledged, List<String> refused) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        resend(ws, ids, acknowledged, refused);
    }

    private void resend(Workspaces.Created ws, List<String> ids, Set<String> acknowledged, List<String> refused) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (String id : ids) {
            ndjson.append("{\"event_id\":\"").append(id).append("\",\"type\":\"email.deliver\"}\n");
        }
        HttpResponse<String> response = post("/v1/events", ws.key().key(), "application/x-ndjson", ndjson.toString());
        if (response.statusCode() == 202) {
            acknowledged.addAll(ids);
        } else {
            assertRefusal(response, 503, "retry later", "broker");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            refused.addAll(ids);
        }
    }

    private HttpResponse<String> post(String path, String apiKey, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefusal(HttpResponse<String> response, int status, String reason, String where) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (reason != null) {
            JsonNode error = CollectorTestSupport.JSON.readTree(response.body());
            assertThat(error.get("status").asInt()).isEqualTo(status);
            assertThat(error.get("reason").asString()).contains(reason);
            assertThat(error.get("where").asString()).contains(where);
        }
    }
}
