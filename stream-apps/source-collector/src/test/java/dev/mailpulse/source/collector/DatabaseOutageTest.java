package dev.mailpulse.source.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;

/**
 * With the database behind a proxy that the test cuts: a key the collector has not checked yet cannot be checked,
 * and the caller is told to come back (503, Retry-After, where: database), not given a bare 500; once the database
 * is back the same call is taken.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private static final TcpProxy BROKER = CollectorTestSupport.brokerProxy();
    private static TcpProxy database;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        CollectorTestSupport.register(registry, DB, RABBIT, BROKER, RABBIT.prefix() + ".collected");
        URI server = URI.create(DB.jdbcUrl().substring("jdbc:".length()));
        database = new TcpProxy(server.getHost(), server.getPort());
        registry.add("spring.datasource.url", () -> DB.jdbcUrl().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + database.port()));
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @AfterAll
    static void closeProxies() throws Exception {
        BROKER.close();
        database.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    Workspaces workspaces;

    @Test
    void whileTheDatabaseIsAwayCallersAreToldToComeBack() throws Exception {
        Workspaces.Created acme = workspaces.create("outage", "UTC", false);
        String event = """
                {"event_id":"%s","type":"email.send","schema_version":1,"occurred_at":"2026-11-20T09:15:02Z",
                 "message_id":"<m1@example.com>","recipient":"jane@example.com"}""".formatted(UUID.randomUUID());
        database.cut();
        HttpResponse<String> refused;
        try {
            refused = post(acme.key().key(), event);
        } finally {
            database.restore();
        }
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        JsonNode error = CollectorTestSupport.JSON.readTree(refused.body());
        assertThat(error.get("where").asString()).isEqualTo("database");
        assertThat(error.get("reason").asString()).contains("retry later");

        assertThat(post(acme.key().key(), event).statusCode()).as("taken once the database is back").isEqualTo(202);
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
