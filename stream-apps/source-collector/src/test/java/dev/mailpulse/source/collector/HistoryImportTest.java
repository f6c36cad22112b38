package dev.mailpulse.source.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.traffic.HistoryImport;
import tools.jackson.databind.JsonNode;

/**
 * The history import's client against the real collector, whose limits are set low: calls over the collector's
 * number of events a request are split until taken, a line over its size refuses its whole call until the split leaves
 * it alone, an unreadable line is refused by its number, and every other line is taken once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailpulse.collector.max-events=100",
        "mailpulse.collector.max-event-size=4KB",
        "mailpulse.collector.events-per-message=50",
        "mailpulse.collector.credential-cache-ttl=0s"})
class HistoryImportTest {

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

    @Test
    void oneBadLineCostsOnlyItselfAndIsNamedByItsNumber() throws Exception {
        workspaces.create("history", "Asia/Kathmandu", false);
        String adminKey = workspaces.issueKey("history", "import", KeyScope.ADMIN).key();
        HistoryImport history = new HistoryImport(URI.create("http://127.0.0.1:" + port), adminKey, 3, Duration.ofMinutes(1));
        Instant longAgo = Instant.parse("2026-01-15T10:00:00Z");
        int good = 0;
        for (int line = 1; line <= 250; line++) {
            if (line == 10) {
                history.add("   ");
            } else if (line == 50) {
                history.add("{not json");
            } else if (line == 120) {
                history.add(event(longAgo, "x".repeat(5_000)));
            } else {
                history.add(event(longAgo.plusSeconds(line), "ok"));
                good++;
            }
        }
        HistoryImport.Summary summary = history.finish();

        assertThat(summary.lines()).isEqualTo(250);
        assertThat(summary.accepted()).isEqualTo(good);
        assertThat(summary.refused()).isEqualTo(2);
        assertThat(summary.firstRefusals()).extracting(HistoryImport.Refusal::line).containsExactlyInAnyOrder(50L, 120L);
        assertThat(summary.firstRefusals()).filteredOn(r -> r.line() == 120).singleElement()
                .satisfies(refusal -> assertThat(refusal.reason()).contains("over the limit"));
        assertThat(summary.earliest()).contains(longAgo);
        assertThat(summary.latest()).contains(longAgo.plusSeconds(250));
        List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, good, Duration.ofSeconds(10));
        assertThat(published).hasSize(good).allSatisfy(event -> assertThat(event.get("source").asString()).isEqualTo("import"));
    }

    private static String event(Instant at, String note) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"email.send\",\"schema_version\":1,\"occurred_at\":\"" + at
                + "\",\"campaign_id\":\"spring\",\"recipient\":\"ada@example.com\",\"attributes\":{\"note\":\"" + note + "\"}}";
    }
}
