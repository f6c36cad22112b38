package dev.mailpulse.source.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.hostile.HostileJson;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;

/**
 * What careless clients and attackers send, at the collector over HTTP: a hostile item costs only itself (a rejection
 * in the 202, kept as a failure), never a 5xx, and every good event of an accepted request is published exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "mailpulse.collector.credential-cache-ttl=0s")
class HostileInputTest {

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
    @Autowired
    Workspaces workspaces;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void fourHundredNinetyNineGoodEventsAndOneHostileItemOfEachClass() throws Exception {
        Workspaces.Created workspace = workspaces.create("hostile-one", "UTC", false);
        HostileJson generator = new HostileJson(21, workspace.workspace().id());
        for (int round = 0; round < 12; round++) {
            List<HostileJson.Item> items = new ArrayList<>();
            for (int i = 0; i < 499; i++) {
                items.add(generator.good());
            }
            HostileJson.Item hostile = generator.invalid(false);
            int at = new Random(round).nextInt(500);
            items.add(at, hostile);

            HttpResponse<String> response = post(workspace.key().key(), "application/json", HostileJson.array(items).getBytes(StandardCharsets.UTF_8), false);
            assertThat(response.statusCode()).as(hostile.kind() + ": " + response.body()).isEqualTo(202);
            JsonNode answer = CollectorTestSupport.JSON.readTree(response.body());
            List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, 499, Duration.ofSeconds(10));
            List<JsonNode> failures = CollectorTestSupport.drain(RABBIT, CollectorTestSupport.failedDestination(destination), 0, Duration.ZERO);
            assertThat(published.stream().filter(e -> !e.path("event_id").isString() || items.stream().anyMatch(i -> i.good()
                    && i.eventId().equals(e.get("event_id").asString()))).count()).as(hostile.kind()).isGreaterThanOrEqualTo(499);
            if (answer.get("accepted").asInt() == 499) {
                assertThat(answer.get("rejected")).as(hostile.kind()).singleElement()
                        .satisfies(r -> assertThat(r.get("index").asInt()).isEqualTo(at));
                assertThat(failures).as(hostile.kind()).singleElement().satisfies(f -> {
                    assertThat(f.get("stage").asString()).isEqualTo("collect");
                    assertThat(f.has("payload") || f.has("raw_payload")).isTrue();
                    assertThat(f.toString()).doesNotContain("@example.com\"");
                });
            } else {
                // The collector judges form; the validator will refuse the content (an impossible date, an id of another type).
                assertThat(answer.get("accepted").asInt()).as(hostile.kind()).isEqualTo(500);
                assertThat(published).hasSize(500);
            }
        }
    }

    @Test
    void seededHostileRequestsNeverGetA5xxAndEveryGoodEventOfAnAcceptedRequestIsPublishedOnce() throws Exception {
        Workspaces.Created workspace = workspaces.create("hostile-random", "UTC", false);
        HostileJson generator = new HostileJson(7, workspace.workspace().id());
        Random random = new Random(7);
        Map<String, Integer> expected = new HashMap<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int request = 0; request < 40; request++) {
            List<HostileJson.Item> items = generator.items(1 + random.nextInt(300), 0.2, false);
            boolean ndjson = random.nextBoolean();
            String body = ndjson ? String.join("\n", items.stream().map(HostileJson.Item::json).toList()) : HostileJson.array(items);
            HttpResponse<String> response = post(workspace.key().key(), ndjson ? "application/x-ndjson" : "application/json",
                    body.getBytes(StandardCharsets.UTF_8), random.nextBoolean());
            statuses.merge(response.statusCode(), 1, Integer::sum);
            assertThat(response.statusCode()).as(response.body()).isLessThan(500);
            if (response.statusCode() == 202) {
                items.stream().filter(HostileJson.Item::good).forEach(item -> expected.merge(item.eventId(), 1, Integer::sum));
            }
        }
        Map<String, Integer> published = new HashMap<>();
        for (JsonNode event : CollectorTestSupport.drain(RABBIT, destination, expected.size(), Duration.ofSeconds(20))) {
            if (event.path("event_id").isString() && expected.containsKey(event.get("event_id").asString())) {
                published.merge(event.get("event_id").asString(), 1, Integer::sum);
            }
        }
        System.out.printf("HostileInputTest: 40 seeded requests answered %s; %d good events accepted, each published once%n", statuses, expected.size());
        assertThat(published).isEqualTo(expected);
    }

    private HttpResponse<String> post(String apiKey, String contentType, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + apiKey);
        if (gzip) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
                out.write(body);
            }
            request.header("Content-Encoding", "gzip");
            body = compressed.toByteArray();
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
