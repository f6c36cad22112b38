package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
import dev.mailpulse.traffic.Simulation;
import tools.jackson.databind.JsonNode;

/**
 * The Analytics API over the generator's traffic as stored: every count it answers, in JSON and in CSV, equals the
 * ground truth; a key sees its own workspace only, and only what its scope allows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnalyticsApiTest {

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

    private final HttpClient http = HttpClient.newHttpClient();
    // Stored once for the class's tests, which only read.
    private static final Instant until = Instant.now().truncatedTo(ChronoUnit.HOURS);
    private static final Map<KeyScope, String> shopKeys = new HashMap<>();
    private static Workspaces.Workspace shop;
    private static StoredTraffic traffic;
    private static String readKey;
    private static String otherReadKey;

    @BeforeEach
    void storeTrafficOnce() {
        if (traffic != null) {
            return;
        }
        Workspaces.Created created = workspaces.create("api-shop", "Europe/Paris", false);
        shop = created.workspace();
        shopKeys.put(KeyScope.INGEST, created.key().key());
        shopKeys.put(KeyScope.READ, workspaces.issueKey("api-shop", "dashboards", KeyScope.READ).key());
        shopKeys.put(KeyScope.ADMIN, workspaces.issueKey("api-shop", "automation", KeyScope.ADMIN).key());
        readKey = shopKeys.get(KeyScope.READ);
        workspaces.create("api-other", "UTC", false);
        otherReadKey = workspaces.issueKey("api-other", null, KeyScope.READ).key();
        traffic = StoredTraffic.store(db, shop, 7, 6_000, 6, until);
    }

    @Test
    void everyHourlyCountOfEveryCampaignEqualsTheGroundTruthInJsonAndInCsv() throws Exception {
        Map<String, Long> truth = new HashMap<>();
        Set<String> campaigns = new TreeSet<>();
        for (Map.Entry<Simulation.TruthKey, Long> bucket : traffic.truth().entrySet()) {
            Simulation.TruthKey key = bucket.getKey();
            if (!key.campaign().isEmpty()) {
                truth.put(key.campaign() + " " + key.type() + " " + key.hour(), bucket.getValue());
                campaigns.add(key.campaign());
            }
        }
        assertThat(campaigns).as("the generator's campaigns").hasSizeGreaterThan(1);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(get("/api/v1/campaigns?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), readKey, "application/json"));
            page.get("items").forEach(item -> listed.add(item.get("campaign_id").asString()));
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
        assertThat(listed).as("every campaign, a page of one at a time").containsExactlyElementsOf(campaigns);

        Map<String, Long> answered = new HashMap<>();
        Map<String, Long> answeredInCsv = new HashMap<>();
        // the generator's late events among them, up to a day and more before the rest
        Instant first = traffic.truth().keySet().stream().map(Simulation.TruthKey::hour).min(Instant::compareTo).orElseThrow();
        Instant last = traffic.truth().keySet().stream().map(Simulation.TruthKey::hour).max(Instant::compareTo).orElseThrow();
        String range = "&from=" + first + "&to=" + last.plus(1, ChronoUnit.HOURS);
        for (String campaign : campaigns) {
            String path = "/api/v1/campaigns/" + URLEncoder.encode(campaign, StandardCharsets.UTF_8) + "/timeseries?granularity=hour" + range;
            for (JsonNode point : json(get(path, readKey, "application/json")).get("items")) {
                answered.put(campaign + " " + point.get("event_type").asString() + " " + Instant.parse(point.get("bucket").asString()),
                        point.get("event_count").asLong());
            }
            HttpResponse<String> csv = get(path, readKey, "text/csv");
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
            List<String> lines = csv.body().lines().toList();
            assertThat(lines.get(0)).isEqualTo("bucket,event_type,event_count,automated_count,unique_recipients,unique_human_recipients");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                answeredInCsv.put(campaign + " " + cells[1] + " " + Instant.parse(cells[0]), Long.parseLong(cells[2]));
            }
        }
        assertThat(answered).as("JSON").isEqualTo(truth);
        String campaign = campaigns.iterator().next();
        String path = "/api/v1/campaigns/" + campaign + "/timeseries?granularity=hour" + range;
        String etag = get(path, readKey, "application/json").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> unchanged = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + readKey).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unchanged.statusCode()).as("an unchanged series, asked again with its ETag").isEqualTo(304);
        assertThat(answeredInCsv).as("CSV").isEqualTo(truth);
    }

    @Test
    void aCampaignsSummaryAndBreakdownAddUpToTheGroundTruth() throws Exception {
        Instant first = traffic.truth().keySet().stream().map(Simulation.TruthKey::hour).min(Instant::compareTo).orElseThrow();
        Instant last = traffic.truth().keySet().stream().map(Simulation.TruthKey::hour).max(Instant::compareTo).orElseThrow();
        String range = "?from=" + first + "&to=" + last.plus(1, ChronoUnit.HOURS);
        Set<String> campaigns = new TreeSet<>();
        traffic.truth().keySet().stream().map(Simulation.TruthKey::campaign).filter(c -> !c.isEmpty()).forEach(campaigns::add);
        for (String campaign : campaigns) {
            Map<String, Long> byType = new HashMap<>();
            traffic.truth().forEach((key, count) -> {
                if (key.campaign().equals(campaign)) {
                    byType.merge(key.type(), count, Long::sum);
                }
            });
            JsonNode summary = json(get("/api/v1/campaigns/" + campaign + "/summary" + range, readKey, "application/json"));
            Map<String, Long> counts = new HashMap<>();
            summary.get("counts").properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
            assertThat(counts).as(campaign + " counts").isEqualTo(byType);
            assertThat(summary.get("funnel").get("sent").asLong()).isEqualTo(byType.getOrDefault("email.send", 0L));
            assertThat(summary.get("funnel").get("delivered").asLong()).isEqualTo(byType.getOrDefault("email.deliver", 0L));
            assertThat(summary.get("rates").get("delivery").asDouble())
                    .isEqualTo((double) byType.get("email.deliver") / byType.get("email.send"));

            Map<String, Long> byProvider = new HashMap<>();
            for (JsonNode row : json(get("/api/v1/campaigns/" + campaign + "/breakdown/mailbox-provider" + range, readKey, "application/json")).get("items")) {
                byProvider.merge(row.get("event_type").asString(), row.get("event_count").asLong(), Long::sum);
            }
            assertThat(byProvider).as(campaign + " by mailbox provider, summed").isEqualTo(byType);
        }
        assertThat(get("/api/v1/campaigns/" + campaigns.iterator().next() + "/summary?from=" + first.plusSeconds(1) + "&to=" + last, readKey,
                "application/json").statusCode()).as("a range off the minute").isEqualTo(400);
    }

    @Test
    void aKeySeesItsOwnWorkspaceOnlyAndOnlyWhatItsScopeAllows() throws Exception {
        String campaign = traffic.truth().keySet().stream().map(Simulation.TruthKey::campaign).filter(c -> !c.isEmpty()).findFirst().orElseThrow();
        String series = "/api/v1/campaigns/" + campaign + "/timeseries?granularity=day&from=" + until.minus(2, ChronoUnit.DAYS) + "&to=" + until;

        assertThat(get(series, otherReadKey, "application/json").statusCode()).as("another workspace's campaign").isEqualTo(404);
        String range = "?from=" + until.minus(2, ChronoUnit.DAYS) + "&to=" + until;
        assertThat(get("/api/v1/campaigns/" + campaign + "/summary" + range, otherReadKey, "application/json").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/campaigns/" + campaign + "/breakdown/mailbox-provider" + range, otherReadKey, "application/json").statusCode())
                .isEqualTo(404);
        assertThat(json(get("/api/v1/campaigns", otherReadKey, "application/json")).get("items")).as("another workspace's list").isEmpty();
        assertThat(get(series, shopKeys.get(KeyScope.INGEST), "application/json").statusCode()).as("an ingest key reads nothing").isEqualTo(403);
        assertThat(get(series, shopKeys.get(KeyScope.ADMIN), "application/json").statusCode()).as("an admin key reads").isEqualTo(200);
        assertThat(get(series, null, "application/json").statusCode()).as("no key").isEqualTo(401);
        HttpResponse<String> unknown = get(series, "mp_" + "x".repeat(43), "application/json");
        assertThat(unknown.statusCode()).as("an unknown key").isEqualTo(401);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/campaigns"))
                .header("Authorization", "Bearer " + readKey).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("a read key writes nothing").isEqualTo(403);
    }

    @Test
    void aRequestBeyondTheBoundsIsABadRequestNamingTheParameter() throws Exception {
        String campaign = traffic.truth().keySet().stream().map(Simulation.TruthKey::campaign).filter(c -> !c.isEmpty()).findFirst().orElseThrow();
        HttpResponse<String> tooLong = get("/api/v1/campaigns/" + campaign + "/timeseries?granularity=minute&from=" + until.minus(30, ChronoUnit.DAYS)
                + "&to=" + until, readKey, "application/json");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("detail").asString()).contains("to:").contains("7 days");
        assertThat(get("/api/v1/campaigns?limit=100000", readKey, "application/json").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/campaigns?cursor=%25%25", readKey, "application/json").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/campaigns/" + campaign + "/timeseries?granularity=week&from=" + until.minus(1, ChronoUnit.DAYS) + "&to=" + until,
                readKey, "application/json").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/campaigns/" + campaign + "/timeseries?granularity=hour&from=yesterday&to=" + until, readKey, "application/json")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void aKeyOverItsRateIsToldWhenToComeBackAndOthersAreNotSlowed() throws Exception {
        String busy = workspaces.issueKey("api-shop", "a busy loop", KeyScope.READ).key();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<String> answer = get("/api/v1/campaigns?limit=1", busy, "application/json");
            if (answer.statusCode() == 429) {
                refused = answer;
            }
        }
        assertThat(refused).as("refused within 200 requests in a row").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(get("/api/v1/campaigns?limit=1", readKey, "application/json").statusCode()).as("another key").isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() throws Exception {
        JsonNode document = json(get("/api/v1/openapi.json", readKey, "application/json"));
        assertThat(document.get("openapi").asString()).startsWith("3.1");
        assertThat(document.get("paths").propertyNames()).contains("/api/v1/campaigns", "/api/v1/campaigns/{campaignId}/timeseries",
                "/api/v1/campaigns/{campaignId}/summary", "/api/v1/campaigns/{campaignId}/breakdown/mailbox-provider");
        assertThat(get("/api/v1/openapi.json", null, "application/json").statusCode()).as("behind a key too").isEqualTo(401);
    }

    private HttpResponse<String> get(String path, String key, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        return WireJson.MAPPER.readTree(response.body());
    }
}
