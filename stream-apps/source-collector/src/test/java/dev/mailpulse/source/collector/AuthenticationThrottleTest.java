package dev.mailpulse.source.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import io.micrometer.core.instrument.MeterRegistry;

/** Wrong credentials are refused cheaply: after a few failures a client gets 429 before any look-up or signature check. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailpulse.collector.failed-authentications-per-client=5", "mailpulse.collector.failed-authentication-window=1m"})
class AuthenticationThrottleTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private static final TcpProxy BROKER = CollectorTestSupport.brokerProxy();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        CollectorTestSupport.register(registry, DB, RABBIT, BROKER, RABBIT.prefix() + ".collected");
    }

    @AfterAll
    static void closeProxy() throws Exception {
        BROKER.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    Workspaces workspaces;
    @Autowired
    MeterRegistry metrics;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aThousandWrongKeysCostWhatTheFirstFiveDidAndAKeyInUseKeepsWorking() throws Exception {
        Workspaces.Created workspace = workspaces.create("throttled", "UTC", false);
        workspaces.setWebhookCredential("throttled", new WebhookCredential.Mailgun("key-" + UUID.randomUUID()));
        String event = "{\"type\":\"email.send\",\"schema_version\":1,\"occurred_at\":\"2026-11-20T09:15:02Z\",\"message_id\":\"<m@x>\",\"recipient\":\"a@example.com\"}";
        assertThat(post("/v1/events", "Bearer " + workspace.key().key(), event).statusCode()).isEqualTo(202);

        Map<Integer, Integer> statuses = new HashMap<>();
        double connectionsBefore = databaseConnectionsBorrowed();
        assertThat(connectionsBefore).as("the pool's loans are counted (the first key was looked up)").isPositive();
        for (int i = 0; i < 1_000; i++) {
            HttpResponse<String> refused = post("/v1/events", "Bearer mp_" + UUID.randomUUID(), event);
            statuses.merge(refused.statusCode(), 1, Integer::sum);
            if (refused.statusCode() == 429) {
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(statuses).isEqualTo(Map.of(401, 5, 429, 995));
        assertThat(databaseConnectionsBorrowed() - connectionsBefore).as("database connections borrowed by the thousand calls: only the five looked up")
                .isLessThanOrEqualTo(5);
        assertThat(post("/v1/events", "Bearer " + workspace.key().key(), event).statusCode())
                .as("a key in use is remembered, so it is not throttled").isEqualTo(202);
        assertThat(post("/v1/webhooks/mailgun/throttled", null, "{\"signature\":{}}").statusCode())
                .as("the client is throttled on every route").isEqualTo(429);
    }

    /** How many times the pool lent a connection (Hikari's usage timer counts each loan). */
    private double databaseConnectionsBorrowed() {
        return metrics.get("hikaricp.connections.usage").timer().count();
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
