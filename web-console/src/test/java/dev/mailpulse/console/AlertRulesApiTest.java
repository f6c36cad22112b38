package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * Alert rules through the API: the contract's example created with an admin key and read back with a read key, its
 * webhook's secret never shown; refusals name the field; a read key cannot write; another workspace's rule is not
 * found; the alerts listed by state; a preview answered and nothing saved (what it finds: RulePreviewTest).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AlertRulesApiTest {

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

    private static final String CONTRACT = """
            {"name": "Gmail complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.003,
             "min_volume": 20, "channels": [{"type": "webhook", "url": "https://hooks.example.com/mailpulse", "secret": "s3cret-0123456789"}]}""";

    @LocalServerPort
    int port;
    @Autowired
    Workspaces workspaces;
    @Autowired
    DSLContext db;

    private final HttpClient http = HttpClient.newHttpClient();
    private static String admin;
    private static String read;
    private static String otherAdmin;
    private static UUID shop;

    @BeforeEach
    void keysOnce() {
        if (admin != null) {
            return;
        }
        shop = workspaces.create("alerts-shop", "UTC", false).workspace().id();
        admin = workspaces.issueKey("alerts-shop", "automation", KeyScope.ADMIN).key();
        read = workspaces.issueKey("alerts-shop", "dashboards", KeyScope.READ).key();
        workspaces.create("alerts-other", "UTC", false);
        otherAdmin = workspaces.issueKey("alerts-other", null, KeyScope.ADMIN).key();
    }

    @Test
    void theContractsRuleIsCreatedReadListedAndRemoved() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/alert-rules", admin, CONTRACT);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode rule = WireJson.MAPPER.readTree(created.body());
        String id = rule.get("id").asString();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/alert-rules/" + id);
        assertThat(rule.get("metric").asString()).isEqualTo("complaint_rate");
        assertThat(rule.get("pending_evaluations").asInt()).isEqualTo(1);
        assertThat(created.body()).doesNotContain("s3cret-0123456789");

        JsonNode fetched = WireJson.MAPPER.readTree(send("GET", "/api/v1/alert-rules/" + id, read, null).body());
        assertThat(fetched).isEqualTo(rule);
        JsonNode listed = WireJson.MAPPER.readTree(send("GET", "/api/v1/alert-rules", read, null).body());
        assertThat(listed.get("items")).extracting(item -> item.get("id").asString()).contains(id);
        assertThat(send("POST", "/api/v1/alert-rules", admin, CONTRACT).statusCode()).as("the same name twice").isEqualTo(400);

        assertThat(send("GET", "/api/v1/alert-rules/" + id, otherAdmin, null).statusCode()).as("another workspace's rule").isEqualTo(404);
        assertThat(send("DELETE", "/api/v1/alert-rules/" + id, otherAdmin, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/v1/alert-rules/" + id, read, null).statusCode()).as("a read key cannot remove").isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/alert-rules/" + id, admin, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/alert-rules/" + id, read, null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusalsNameTheField() throws Exception {
        assertRefused(CONTRACT.replace("complaint_rate", "happiness"), "metric");
        assertRefused(CONTRACT.replace("PT15M", "PT0S"), "window");
        assertRefused(CONTRACT.replace("0.003", "3"), "above");
        assertRefused(CONTRACT.replace("https://hooks.example.com/mailpulse", "javascript:alert(1)"), "channels[0].url");
        assertRefused("{not json", "(body)");
        assertThat(send("POST", "/api/v1/alert-rules", read, CONTRACT).statusCode()).as("a read key cannot write").isEqualTo(403);
        assertThat(send("POST", "/api/v1/alert-rules", null, CONTRACT).statusCode()).isEqualTo(401);
        String huge = CONTRACT.replace("\"Gmail complaints\"", "\"x\", \"message\": \"" + "a".repeat(70_000) + "\"");
        assertThat(send("POST", "/api/v1/alert-rules", admin, huge).statusCode()).isEqualTo(413);
    }

    @Test
    void alertsByState() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/alert-rules", admin, CONTRACT.replace("Gmail complaints", "Yahoo complaints"));
        UUID rule = UUID.fromString(WireJson.MAPPER.readTree(created.body()).get("id").asString());
        db.execute("""
                INSERT INTO alert_instances (rule_id, labels, workspace_id, state, since, breaches, last_value, last_volume, last_evaluated_at)
                VALUES (?, '{"mailbox_provider": "yahoo"}', ?, 'firing', now(), 1, 0.004, 2500, now()),
                       (?, '{"mailbox_provider": "gmail"}', ?, 'normal', now(), 0, 0.0002, 9000, now())""", rule, shop, rule, shop);
        JsonNode firing = WireJson.MAPPER.readTree(send("GET", "/api/v1/alerts?state=firing", read, null).body());
        assertThat(firing.get("items")).hasSize(1);
        JsonNode alert = firing.get("items").get(0);
        assertThat(alert.get("rule_id").asString()).isEqualTo(rule.toString());
        assertThat(alert.get("state").asString()).isEqualTo("firing");
        assertThat(alert.get("labels").get("mailbox_provider").asString()).isEqualTo("yahoo");
        assertThat(alert.get("value").asDouble()).isEqualTo(0.004);
        assertThat(WireJson.MAPPER.readTree(send("GET", "/api/v1/alerts", read, null).body()).get("items")).hasSize(2);
        assertThat(WireJson.MAPPER.readTree(send("GET", "/api/v1/alerts?state=firing", otherAdmin, null).body()).get("items"))
                .as("another workspace's alerts").isEmpty();
        HttpResponse<String> unknown = send("GET", "/api/v1/alerts?state=burning", read, null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("state: ");
    }

    @Test
    void aFiringAlertIsAcknowledgedWithAComment() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/alert-rules", admin, CONTRACT.replace("Gmail complaints", "Outlook complaints"));
        UUID rule = UUID.fromString(WireJson.MAPPER.readTree(created.body()).get("id").asString());
        db.execute("""
                INSERT INTO alert_instances (rule_id, labels, workspace_id, state, since, breaches, last_value, last_volume, last_evaluated_at)
                VALUES (?, '{"mailbox_provider": "microsoft"}', ?, 'firing', now(), 1, 0.004, 2500, now())""", rule, shop);
        String ack = """
                {"rule_id": "%s", "labels": {"mailbox_provider": "microsoft"}, "comment": "the list is being cleaned"}""".formatted(rule);
        assertThat(send("POST", "/api/v1/alerts/acknowledge", read, ack).statusCode()).as("a read key cannot").isEqualTo(403);
        assertThat(send("POST", "/api/v1/alerts/acknowledge", otherAdmin, ack).statusCode()).as("another workspace's").isEqualTo(404);
        HttpResponse<String> noComment = send("POST", "/api/v1/alerts/acknowledge", admin, ack.replace("the list is being cleaned", " "));
        assertThat(noComment.statusCode()).isEqualTo(400);
        assertThat(WireJson.MAPPER.readTree(noComment.body()).get("field").asString()).isEqualTo("comment");
        assertThat(send("POST", "/api/v1/alerts/acknowledge", admin, ack.replace("microsoft", "apple")).statusCode()).as("nothing firing there")
                .isEqualTo(404);
        assertThat(send("POST", "/api/v1/alerts/acknowledge", admin, ack).statusCode()).isEqualTo(204);
        JsonNode firing = WireJson.MAPPER.readTree(send("GET", "/api/v1/alerts?state=firing", read, null).body()).get("items");
        assertThat(firing).filteredOn(a -> a.get("rule_id").asString().equals(rule.toString())).singleElement()
                .satisfies(a -> assertThat(a.get("acknowledged").get("comment").asString()).isEqualTo("the list is being cleaned"));
        assertThat(send("DELETE", "/api/v1/alert-rules/" + rule, admin, null).statusCode()).as("its alerts go with it").isEqualTo(204);
    }

    @Test
    void silencesAreCreatedListedAndEnded() throws Exception {
        String silence = """
                {"matchers": {"mailbox_provider": "yahoo", "severity": "critical"}, "duration": "PT2H", "comment": "Yahoo's FBL is being looked at"}""";
        assertThat(send("POST", "/api/v1/alert-silences", read, silence).statusCode()).isEqualTo(403);
        HttpResponse<String> created = send("POST", "/api/v1/alert-silences", admin, silence);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode made = WireJson.MAPPER.readTree(created.body());
        assertThat(made.get("matchers").get("mailbox_provider").asString()).isEqualTo("yahoo");
        assertThat(Duration.between(Instant.parse(made.get("starts_at").asString()), Instant.parse(made.get("ends_at").asString())))
                .isEqualTo(Duration.ofHours(2));
        String id = made.get("id").asString();
        assertThat(WireJson.MAPPER.readTree(send("GET", "/api/v1/alert-silences", read, null).body()).get("items"))
                .extracting(item -> item.get("id").asString()).containsExactly(id);
        assertThat(WireJson.MAPPER.readTree(send("GET", "/api/v1/alert-silences", otherAdmin, null).body()).get("items")).isEmpty();

        for (String[] refused : new String[][] {{silence.replace("\"mailbox_provider\": \"yahoo\", \"severity\": \"critical\"", ""), "matchers"},
                {silence.replace("mailbox_provider", "Mailbox Provider"), "matchers.Mailbox Provider"},
                {silence.replace("PT2H", "P40D"), null}, {silence.replace("Yahoo's FBL is being looked at", ""), "comment"}}) {
            HttpResponse<String> answer = send("POST", "/api/v1/alert-silences", admin, refused[0]);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            if (refused[1] != null) {
                assertThat(WireJson.MAPPER.readTree(answer.body()).get("field").asString()).isEqualTo(refused[1]);
            }
        }
        assertThat(send("DELETE", "/api/v1/alert-silences/" + id, otherAdmin, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/v1/alert-silences/" + id, admin, null).statusCode()).isEqualTo(204);
        assertThat(WireJson.MAPPER.readTree(send("GET", "/api/v1/alert-silences", read, null).body()).get("items")).isEmpty();
    }

    @Test
    void aPreviewSavesNothing() throws Exception {
        HttpResponse<String> answered = send("POST", "/api/v1/alert-rules/preview?days=30", admin, CONTRACT.replace("Gmail complaints", "Tuning"));
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode preview = WireJson.MAPPER.readTree(answered.body());
        assertThat(preview.get("step").asString()).isEqualTo("PT15M");
        assertThat(preview.get("evaluations").asInt()).isBetween(2_879, 2_880);
        assertThat(preview.get("transitions")).as("no traffic in this workspace").isEmpty();
        assertThat(WireJson.MAPPER.readTree(send("GET", "/api/v1/alert-rules", read, null).body()).get("items"))
                .extracting(item -> item.get("name").asString()).doesNotContain("Tuning");
        HttpResponse<String> fromTheRawStore = send("POST", "/api/v1/alert-rules/preview?days=7", admin,
                CONTRACT.replace("complaint_rate", "hard_bounce_rate").replace("mailbox_provider", "recipient_domain"));
        assertThat(fromTheRawStore.statusCode()).as(fromTheRawStore.body()).isEqualTo(200);
        HttpResponse<String> impossible = send("POST", "/api/v1/alert-rules/preview", admin, CONTRACT.replace("mailbox_provider", "host"));
        assertThat(impossible.statusCode()).isEqualTo(400);
        assertThat(WireJson.MAPPER.readTree(impossible.body()).get("field").asString()).isEqualTo("split_by");
        assertThat(send("POST", "/api/v1/alert-rules/preview?days=40", admin, CONTRACT).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/alert-rules/preview", read, CONTRACT).statusCode()).isEqualTo(403);
    }

    private void assertRefused(String body, String field) throws Exception {
        HttpResponse<String> refused = send("POST", "/api/v1/alert-rules", admin, body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode problem = WireJson.MAPPER.readTree(refused.body());
        assertThat(problem.get("detail").asString()).startsWith(field + ": ");
        if (!field.equals("(body)")) {
            assertThat(problem.get("field").asString()).isEqualTo(field);
        }
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
