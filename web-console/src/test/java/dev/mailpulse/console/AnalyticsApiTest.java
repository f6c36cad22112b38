package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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

import dev.mailpulse.alerting.AlertRuleJson;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LocalDay;
import dev.mailpulse.storage.readmodel.Dimension;
import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.ml.Recommendations;
import dev.mailpulse.storage.ml.SendTimes;
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
    private static String otherAdminKey;

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
        otherAdminKey = workspaces.issueKey("api-other", null, KeyScope.ADMIN).key();
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

            for (Dimension dimension : Dimension.values()) {
                Map<String, Long> summed = new HashMap<>();
                JsonNode breakdown = json(get("/api/v1/campaigns/" + campaign + "/breakdown/" + dimension.pathName() + range + "&limit=1000", readKey,
                        "application/json"));
                assertThat(breakdown.get("values_left_off").asInt()).isZero();
                breakdown.get("items").forEach(row -> summed.merge(row.get("event_type").asString(), row.get("event_count").asLong(), Long::sum));
                Map<String, Long> expected = new HashMap<>(byType);
                expected.keySet().removeIf(type -> !dimension.eventTypes().isEmpty() && !dimension.eventTypes().contains(type));
                assertThat(summed).as(campaign + " by " + dimension.pathName() + ", summed").isEqualTo(expected);
            }
            JsonNode deliverability = json(get("/api/v1/campaigns/" + campaign + "/deliverability" + range + "&by=recipient-domain", readKey,
                    "application/json"));
            long sent = 0;
            long delivered = 0;
            for (JsonNode row : deliverability.get("items")) {
                sent += row.get("sent").asLong();
                delivered += row.get("delivered").asLong();
                if (row.get("sent").asLong() > 0) {
                    assertThat(row.get("rates").get("delivery").asDouble()).isEqualTo(row.get("delivered").asDouble() / row.get("sent").asLong());
                }
            }
            assertThat(sent).as(campaign + " sent, by recipient domain").isEqualTo(byType.getOrDefault("email.send", 0L));
            assertThat(delivered).isEqualTo(byType.getOrDefault("email.deliver", 0L));

            long listed = 0;
            Set<String> ids = new HashSet<>();
            String cursor = null;
            do {
                JsonNode page = json(get("/api/v1/campaigns/" + campaign + "/events" + range + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
                        readKey, "application/json"));
                page.get("items").forEach(event -> ids.add(event.get("event_id").asString()));
                listed += page.get("items").size();
                cursor = page.get("next").isNull() ? null : page.get("next").asString();
            } while (cursor != null);
            assertThat(listed).as(campaign + " raw events, page by page").isEqualTo(byType.values().stream().mapToLong(Long::longValue).sum());
            assertThat(ids).hasSize((int) listed);
        }
        assertThat(get("/api/v1/campaigns/" + campaigns.iterator().next() + "/summary?from=" + first.plusSeconds(1) + "&to=" + last, readKey,
                "application/json").statusCode()).as("a range off the minute").isEqualTo(400);
    }

    @Test
    void theWorkspacesDaysAsTheNightlyEtlCountedThemEqualTheGroundTruthOfItsLocalDays() throws Exception {
        ZoneId paris = ZoneId.of("Europe/Paris");
        TreeMap<LocalDate, Map<String, Long>> truth = new TreeMap<>();
        for (Map.Entry<Simulation.TruthKey, Long> bucket : traffic.truth().entrySet()) {
            truth.computeIfAbsent(bucket.getKey().hour().atZone(paris).toLocalDate(), day -> new TreeMap<>())
                    .merge(bucket.getKey().type(), bucket.getValue(), Long::sum);
        }
        for (LocalDate day : truth.keySet()) {
            LocalDay local = new LocalDay(shop.id(), shop.name(), day, paris);
            db.transaction(tx -> new DailyFacts(tx.dsl()).process(local, DailyFacts.Reason.ASKED, null));
        }
        LocalDate first = truth.firstKey();
        LocalDate last = truth.lastKey();
        JsonNode daily = json(get("/api/v1/daily?from=" + first.minusDays(1) + "&to=" + last, readKey, "application/json"));
        Map<LocalDate, Map<String, Long>> answered = new TreeMap<>();
        for (JsonNode day : daily.get("items")) {
            Map<String, Long> counts = new TreeMap<>();
            day.get("counts").properties().forEach(count -> counts.put(count.getKey(), count.getValue().asLong()));
            answered.put(LocalDate.parse(day.get("date").asString()), counts);
            assertThat(day.get("time_zone").asString()).isEqualTo("Europe/Paris");
            assertThat(day.get("sent").asLong()).isEqualTo(counts.getOrDefault("email.send", 0L));
        }
        assertThat(answered).as("every campaign's events and those of none, by day of Paris").isEqualTo(truth);
        assertThat(daily.get("lifetime").isNull()).as("a workspace has no lifetime KPIs").isTrue();
        assertThat(get("/api/v1/daily?from=" + last + "&to=" + first.minusDays(1), readKey, "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void theWorkspacesSeriesInItsTimeZoneAndItsInfrastructureEventsEqualTheGroundTruth() throws Exception {
        ZoneId paris = ZoneId.of("Europe/Paris");
        Map<String, Long> truthByDay = new HashMap<>();
        Map<String, Long> truthByHour = new HashMap<>();
        long infrastructure = 0;
        for (Map.Entry<Simulation.TruthKey, Long> bucket : traffic.truth().entrySet()) {
            Simulation.TruthKey key = bucket.getKey();
            Instant day = key.hour().atZone(paris).truncatedTo(ChronoUnit.DAYS).toInstant();
            truthByDay.merge(key.type() + " " + day, bucket.getValue(), Long::sum);
            truthByHour.merge(key.type() + " " + key.hour(), bucket.getValue(), Long::sum);
            infrastructure += key.type().startsWith("infrastructure.") ? bucket.getValue() : 0;
        }
        Instant firstDay = traffic.truth().keySet().stream().map(Simulation.TruthKey::hour).min(Instant::compareTo).orElseThrow()
                .atZone(paris).truncatedTo(ChronoUnit.DAYS).toInstant();
        Instant afterLastDay = until.atZone(paris).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
        Map<String, Long> byDay = new HashMap<>();
        for (JsonNode point : json(get("/api/v1/timeseries?granularity=day&tz=Europe/Paris&from=" + firstDay + "&to=" + afterLastDay, readKey,
                "application/json")).get("items")) {
            byDay.put(point.get("event_type").asString() + " " + Instant.parse(point.get("bucket").asString()), point.get("event_count").asLong());
            assertThat(point.get("unique_recipients").isNull()).as("days of hours cannot add up unique recipients").isTrue();
        }
        assertThat(byDay).as("days in Europe/Paris").isEqualTo(truthByDay);
        Map<String, Long> byHour = new HashMap<>();
        for (JsonNode point : json(get("/api/v1/timeseries?granularity=hour&from=" + firstDay + "&to=" + afterLastDay, readKey, "application/json"))
                .get("items")) {
            byHour.put(point.get("event_type").asString() + " " + Instant.parse(point.get("bucket").asString()), point.get("event_count").asLong());
        }
        assertThat(byHour).as("the workspace's hours, events of no campaign too").isEqualTo(truthByHour);
        assertThat(get("/api/v1/timeseries?granularity=day&tz=Europe/Paris&from=" + firstDay.plus(1, ChronoUnit.HOURS) + "&to=" + afterLastDay, readKey, "application/json")
                .statusCode()).as("from: not a midnight in Paris").isEqualTo(400);
        assertThat(get("/api/v1/timeseries?granularity=day&tz=Mars/Olympus&from=" + firstDay + "&to=" + afterLastDay, readKey, "application/json")
                .statusCode()).isEqualTo(400);

        JsonNode infrastructureEvents = json(get("/api/v1/events?type=infrastructure&limit=1000&from=" + firstDay + "&to=" + afterLastDay, readKey,
                "application/json"));
        assertThat(infrastructureEvents.get("items").size()).as("infrastructure events").isEqualTo(infrastructure).isPositive();
        infrastructureEvents.get("items").forEach(event -> assertThat(event.get("event_type").asString()).startsWith("infrastructure."));
    }

    @Test
    void everyAnswerSaysHowFreshItIs() throws Exception {
        String range = "?from=" + until.minus(1, ChronoUnit.DAYS) + "&to=" + until;
        JsonNode freshness = json(get("/api/v1/summary" + range, readKey, "application/json")).get("freshness");
        assertThat(Instant.parse(freshness.get("read_model_as_of").asString())).isBefore(Instant.now());
        assertThat(freshness.get("read_model_lag_ms").asLong()).isNotNegative();
        assertThat(freshness.get("live_cache_as_of").isNull()).as("nothing went through the live cache here").isTrue();
        assertThat(get("/api/v1/breakdown/link" + range, readKey, "text/csv").headers().firstValue("MailPulse-Freshness"))
                .hasValueSatisfying(header -> assertThat(header).startsWith("read_model_as_of=20").contains("; read_model_lag_ms="));
        assertThat(json(get("/api/v1/campaigns", otherReadKey, "application/json")).get("freshness").get("read_model_as_of").isNull())
                .as("a workspace with no events").isTrue();
    }

    /**
     * Every GET the OpenAPI document lists, with this workspace's ids: its read and admin keys get answers; an ingest
     * key, no key and another workspace's key get none of its data (403, 401, and 404 for its ids, or nothing of it).
     */
    @Test
    void everyEndpointAnswersOnlyItsOwnWorkspaceAndOnlyTheScopesThatMayRead() throws Exception {
        String campaign = traffic.truth().keySet().stream().map(Simulation.TruthKey::campaign).filter(c -> !c.isEmpty()).findFirst().orElseThrow();
        String rule = new AlertRules(db, shop.id()).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "every endpoint", "metric": "bounce_rate", "window": "PT1H", "above": 0.05}"""))).id().toString();
        JsonNode paths = json(get("/api/v1/openapi.json", readKey, "application/json")).get("paths");
        List<String> tried = new ArrayList<>();
        for (String template : paths.propertyNames()) {
            JsonNode get = paths.get(template).get("get");
            if (get == null || template.equals("/api/v1/openapi.json")) {
                continue;
            }
            StringBuilder query = new StringBuilder();
            for (JsonNode parameter : get.path("parameters")) {
                boolean days = parameter.path("schema").path("format").asString().equals("date");
                String value = switch (parameter.get("name").asString()) {
                    case "from" -> days ? until.minus(1, ChronoUnit.DAYS).atZone(ZoneOffset.UTC).toLocalDate().toString() : until.minus(1, ChronoUnit.DAYS).toString();
                    case "to" -> days ? until.atZone(ZoneOffset.UTC).toLocalDate().toString() : until.toString();
                    case "granularity" -> "hour";
                    default -> null;
                };
                if (parameter.get("in").asString().equals("query") && value != null) {
                    query.append(query.isEmpty() ? "?" : "&").append(parameter.get("name").asString()).append('=').append(value);
                }
            }
            String path = template.replace("{campaignId}", campaign).replace("{dimension}", "recipient-domain").replace("{id}", rule) + query;
            tried.add(path);
            assertThat(get(path, readKey, "application/json").statusCode()).as("a read key: " + path).isEqualTo(200);
            assertThat(get(path, shopKeys.get(KeyScope.ADMIN), "application/json").statusCode()).as("an admin key: " + path).isEqualTo(200);
            assertThat(get(path, shopKeys.get(KeyScope.INGEST), "application/json").statusCode()).as("an ingest key: " + path).isEqualTo(403);
            assertThat(get(path, null, "application/json").statusCode()).as("no key: " + path).isEqualTo(401);
            HttpResponse<String> other = get(path, otherReadKey, "application/json");
            if (template.contains("{campaignId}") || template.contains("{id}")) {
                assertThat(other.statusCode()).as("another workspace's key: " + path).isEqualTo(404);
            } else {
                assertThat(other.statusCode()).as("another workspace's key: " + path).isEqualTo(200);
                assertThat(other.body()).as("another workspace's key: " + path).doesNotContain("campaign-1-").doesNotContain(shop.id().toString());
            }
        }
        assertThat(tried).as("the endpoints tried").hasSize(31);
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
    void aCostSetWithAnAdminKeyGivesTheCampaignItsRoiInItsCurrencyAndOtherCurrenciesBeside() throws Exception {
        String campaign = traffic.truth().keySet().stream().map(Simulation.TruthKey::campaign).filter(c -> !c.isEmpty()).sorted().findFirst().orElseThrow();
        LocalDate day = LocalDate.parse("2026-11-02");
        db.execute("DELETE FROM daily_attribution WHERE workspace_id = ?", shop.id());
        db.execute("""
                INSERT INTO daily_attribution (workspace_id, day, campaign_id, method, currency, conversions, revenue) VALUES
                (?, ?, ?, 'message', 'EUR', 3, 300.50), (?, ?, ?, 'click', 'EUR', 1, 99.50), (?, ?, ?, 'click', 'USD', 1, 50)""",
                shop.id(), day, campaign, shop.id(), day, campaign, shop.id(), day.plusDays(1), campaign);
        for (LocalDate processed : List.of(day, day.plusDays(1))) {
            db.execute("""
                    INSERT INTO etl_days (workspace_id, day, time_zone, day_start, day_end, processed_at, events, reason)
                    VALUES (?, ?, 'Europe/Paris', now(), now(), now(), 1, 'asked') ON CONFLICT DO NOTHING""", shop.id(), processed);
        }
        String path = "/api/v1/campaigns/" + URLEncoder.encode(campaign, StandardCharsets.UTF_8);

        assertThat(put(path + "/cost", readKey, "{\"amount\": 200, \"currency\": \"EUR\"}").statusCode()).as("a read key").isEqualTo(403);
        HttpResponse<String> refused = put(path + "/cost", shopKeys.get(KeyScope.ADMIN), "{\"amount\": 200, \"currency\": \"euro\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("currency");
        assertThat(put("/api/v1/campaigns/no-such-campaign/cost", shopKeys.get(KeyScope.ADMIN), "{\"amount\": 1, \"currency\": \"EUR\"}")
                .statusCode()).isEqualTo(404);

        HttpResponse<String> set = put(path + "/cost", shopKeys.get(KeyScope.ADMIN), "{\"amount\": 200, \"currency\": \"EUR\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode roi = json(get(path + "/roi", readKey, "application/json"));
        assertThat(roi.get("cost").get("source").asString()).isEqualTo("manual");
        assertThat(roi.get("roi").decimalValue()).as("(400 - 200) / 200").isEqualByComparingTo("1");
        assertThat(roi.get("roi_currency").asString()).isEqualTo("EUR");
        assertThat(roi.get("revenue").toString()).contains("\"currency\":\"USD\"").contains("\"conversions\":4");
        JsonNode daily = json(get(path + "/daily?from=" + day + "&to=" + day.plusDays(1), readKey, "application/json"));
        assertThat(daily.get("items").findValues("attributed_revenue").toString()).contains("\"EUR\":400").contains("\"USD\":50");
    }

    @Test
    void theAttributionWindowsAndIndustryAreSetWithAnAdminKeyAndABadOneIsRefusedNamingItsField() throws Exception {
        String admin = shopKeys.get(KeyScope.ADMIN);
        assertThat(put("/api/v1/workspace/attribution", readKey, "{\"click_window_hours\": 48}").statusCode()).as("a read key").isEqualTo(403);
        for (String bad : List.of("{\"click_window_hours\": \"48\"}", "{\"click_window_hours\": 0}", "{\"click_window_hours\": 48, \"open_window_hours\": 99999}",
                "{\"click_window_hours\": 48, \"industry\": \"Retail <b>\"}", "{}", "not json")) {
            HttpResponse<String> refused = put("/api/v1/workspace/attribution", admin, bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(put("/api/v1/workspace/attribution", admin, "{\"click_window_hours\": 0}").body()).contains("click_window_hours");
        assertThat(json(get("/api/v1/workspace/attribution", readKey, "application/json")).get("click_window_hours").asInt())
                .as("nothing changed by the refusals").isEqualTo(120);
        HttpResponse<String> set = put("/api/v1/workspace/attribution", admin, "{\"click_window_hours\": 48, \"open_window_hours\": 12, \"industry\": \"retail\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode settings = json(get("/api/v1/workspace/attribution", readKey, "application/json"));
        assertThat(settings.get("click_window_hours").asInt()).isEqualTo(48);
        assertThat(settings.get("open_window_hours").asInt()).isEqualTo(12);
        assertThat(settings.get("industry").asString()).isEqualTo("retail");
        put("/api/v1/workspace/attribution", admin, "{\"click_window_hours\": 120}");
    }

    /**
     * What the nightly training leaves, as a sending system reads it: the registry (the contract's fields, where models
     * are saved kept on the server), every recipient's scores and send time a page at a time by a stable cursor and as
     * CSV, the domains' send-time profiles, a running campaign's forecast; nothing of it to another workspace.
     */
    @Test
    void theRegistryTheScoresAndTheForecastsOfTheTrainingToTheirWorkspaceOnly() throws Exception {
        String campaign = traffic.truth().keySet().stream().map(Simulation.TruthKey::campaign).filter(c -> !c.isEmpty()).findFirst().orElseThrow();
        Instant trained = until.minus(1, ChronoUnit.DAYS);
        ModelRegistry registry = new ModelRegistry(db);
        for (int version = 1; version <= 2; version++) {
            registry.record(shop.id(), new ModelRegistry.Model(ModelRegistry.ENGAGEMENT_CLICK, version, version == 1 ? "logistic_regression" : "gradient_boosted_trees",
                    trained, trained.minus(20, ChronoUnit.DAYS), trained.minus(6, ChronoUnit.DAYS), trained.minus(3, ChronoUnit.DAYS), 45_000, 15_000,
                    Map.of("max_iterations", 100), Map.of("roc_auc", 0.70 - version / 100.0, "pr_auc", 0.3),
                    Map.of("global_rate", Map.of("roc_auc", 0.5, "pr_auc", 0.11), "recipient_history", Map.of("roc_auc", 0.6, "pr_auc", 0.2)),
                    version == 1, version == 1 ? "promoted" : "not promoted", "/srv/models/" + shop.id() + "/engagement_click/v" + version));
        }
        HttpResponse<String> modelsResponse = get("/api/v1/ml/models", readKey, "application/json");
        JsonNode models = json(modelsResponse).get("items");
        assertThat(models).hasSize(2);
        assertThat(models.get(0).propertyNames()).contains("name", "version", "trained_at", "metrics", "baseline_metrics", "promoted");
        assertThat(models.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(models.get(1).get("promoted").asBoolean()).isTrue();
        assertThat(models.get(1).get("baseline_metrics").get("recipient_history").get("roc_auc").asDouble()).isEqualTo(0.6);
        assertThat(modelsResponse.body()).doesNotContain("/srv/models");
        assertThat(json(get("/api/v1/ml/models", otherReadKey, "application/json")).get("items")).isEmpty();

        Predictions predictions = new Predictions(db);
        List<Predictions.Score> scores = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            scores.add(new Predictions.Score(String.format("%032x", i), (i % 7) / 10.0, 0.5, i, i % 3, i % 4));
        }
        predictions.replaceScores(shop.id(), new Predictions.Scoring(trained, Optional.of(1), Optional.empty(), 33, 0), scores.iterator());
        List<String> paged = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = json(get("/api/v1/ml/engagement-scores?limit=10" + cursor, readKey, "application/json"));
            page.get("items").forEach(item -> paged.add(item.get("recipient_hash").asString()));
            assertThat(page.get("scoring").get("click_model_version").asInt()).isEqualTo(1);
            cursor = page.get("next").isNull() ? null : "&cursor=" + page.get("next").asString();
        } while (cursor != null);
        assertThat(paged).containsExactlyElementsOf(scores.stream()
                .sorted(java.util.Comparator.comparing(Predictions.Score::clickProbability).reversed().thenComparing(Predictions.Score::recipientHash))
                .map(Predictions.Score::recipientHash).toList());
        HttpResponse<String> csv = get("/api/v1/ml/engagement-scores?limit=10", readKey, "text/csv");
        assertThat(csv.body().lines().findFirst().orElseThrow()).isEqualTo("recipient_hash,click_probability,open_probability,prior_sends,"
                + "prior_human_clicks,prior_human_opens");
        assertThat(csv.body().lines()).hasSize(11);
        assertThat(get("/api/v1/ml/engagement-scores?limit=0", readKey, "application/json").body()).contains("limit");
        assertThat(get("/api/v1/ml/engagement-scores?cursor=bm90IG91cnM", readKey, "application/json").statusCode()).isEqualTo(400);
        assertThat(json(get("/api/v1/ml/engagement-scores", otherReadKey, "application/json")).get("items")).isEmpty();

        SendTimes sendTimes = new SendTimes(db);
        List<SendTimes.RecipientTime> times = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            times.add(new SendTimes.RecipientTime(String.format("%032x", i), "gmail.com", i % 2 == 0 ? "recipient" : "domain", 40 - i, 24 + i, 0.1));
        }
        List<Double> flat = java.util.Collections.nCopies(24, 1.0);
        sendTimes.replace(shop.id(), List.of(new SendTimes.Segment("domain", "gmail.com", 3, 5_000, 600, 0.12, flat, flat.subList(0, 7), List.of(34, 58, 10),
                0.18, 0.5, 0.3, 0.7)), times.iterator());
        JsonNode domains = json(get("/api/v1/ml/send-times?kind=domain", readKey, "application/json"));
        assertThat(domains.get("items")).singleElement().satisfies(domain -> {
            assertThat(domain.get("segment").asString()).isEqualTo("gmail.com");
            assertThat(domain.get("best_hours_of_week").get(0).asInt()).isEqualTo(34);
            assertThat(domain.get("lift_low").asDouble()).isEqualTo(0.3);
        });
        assertThat(json(get("/api/v1/ml/send-times?kind=provider", readKey, "application/json")).get("items")).isEmpty();
        assertThat(get("/api/v1/ml/send-times?kind=planet", readKey, "application/json").statusCode()).isEqualTo(400);
        List<String> timed = new ArrayList<>();
        cursor = "";
        do {
            JsonNode page = json(get("/api/v1/ml/recipient-send-times?limit=7" + cursor, readKey, "application/json"));
            page.get("items").forEach(item -> timed.add(item.get("recipient_hash").asString() + " " + item.get("hour_of_week").asInt()));
            cursor = page.get("next").isNull() ? null : "&cursor=" + page.get("next").asString();
        } while (cursor != null);
        assertThat(timed).containsExactlyElementsOf(times.stream().map(t -> t.recipientHash() + " " + t.hourOfWeek()).toList());
        HttpResponse<String> timesCsv = get("/api/v1/ml/recipient-send-times?limit=5", readKey, "text/csv");
        assertThat(timesCsv.body().lines().findFirst().orElseThrow()).isEqualTo("recipient_hash,recipient_domain,basis,sends,hour_of_week,click_rate");
        assertThat(timesCsv.body().lines()).hasSize(6);
        assertThat(json(get("/api/v1/ml/recipient-send-times", otherReadKey, "application/json")).get("items")).isEmpty();
        assertThat(json(get("/api/v1/ml/send-times", otherReadKey, "application/json")).get("items")).isEmpty();

        assertThat(json(get("/api/v1/ml/daily-forecasts?series=sent", readKey, "application/json")).get("items")).isEmpty();
        List<DailyForecasts.Day> days = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            days.add(new DailyForecasts.Day(LocalDate.parse("2026-11-10").plusDays(i), 1_000 + i, 900, 1_100 + i, 850, 1_200 + i));
        }
        new DailyForecasts(db).replace(shop.id(), new DailyForecasts.Forecast("sent", 2, trained, days));
        JsonNode sent = json(get("/api/v1/ml/daily-forecasts?series=sent", readKey, "application/json"));
        assertThat(sent.get("model_version").asInt()).isEqualTo(2);
        assertThat(sent.get("items")).hasSize(14);
        assertThat(sent.get("items").get(13).get("day").asString()).isEqualTo("2026-11-23");
        assertThat(sent.get("items").get(13).get("high95").asDouble()).isEqualTo(1_213);
        HttpResponse<String> forecastCsv = get("/api/v1/ml/daily-forecasts?series=sent", readKey, "text/csv");
        assertThat(forecastCsv.body().lines().findFirst().orElseThrow()).isEqualTo("day,forecast,low80,high80,low95,high95");
        assertThat(forecastCsv.body().lines()).hasSize(15);
        assertThat(json(get("/api/v1/ml/daily-forecasts?series=human_clicks", readKey, "application/json")).get("items")).isEmpty();
        assertThat(get("/api/v1/ml/daily-forecasts?series=opens", readKey, "application/json").statusCode()).isEqualTo(400);
        assertThat(json(get("/api/v1/ml/daily-forecasts?series=sent", otherReadKey, "application/json")).get("items")).isEmpty();

        assertThat(json(get("/api/v1/ml/campaign-clusters", readKey, "application/json")).get("items")).isEmpty();
        new CampaignClusters(db).replace(shop.id(), List.of(
                new CampaignClusters.Cluster(0, 4, 2, "higher human click rate (+1.3 sd)", Map.of("human_click_rate", 0.08), Map.of("human_click_rate", 1.3)),
                new CampaignClusters.Cluster(1, 4, 1, "lower human click rate (-0.7 sd)", Map.of("human_click_rate", 0.02), Map.of("human_click_rate", -0.7))),
                Map.of(campaign, 0, "campaign-x", 0, "campaign-y", 1));
        JsonNode clusters = json(get("/api/v1/ml/campaign-clusters", readKey, "application/json")).get("items");
        assertThat(clusters).hasSize(2);
        assertThat(clusters.get(0).get("campaign_ids")).extracting(JsonNode::asString).containsExactlyInAnyOrder(campaign, "campaign-x");
        assertThat(clusters.get(1).get("deviations").get("human_click_rate").asDouble()).isEqualTo(-0.7);
        assertThat(clusters.get(0).get("description").asString()).isEqualTo("higher human click rate (+1.3 sd)");
        assertThat(json(get("/api/v1/ml/campaign-clusters", otherReadKey, "application/json")).get("items")).isEmpty();

        Recommendations recommendations = new Recommendations(db);
        recommendations.refresh(shop.id(), List.of(new Recommendations.Advice("send_hour", "gmail", "send_hour:gmail:34", "Send to gmail recipients on "
                + "Tuesdays at 10:00", "From 8,120 sends", "+62% human clicks"), new Recommendations.Advice("suppress_unengaged", "", "suppress_unengaged:9",
                "Suppress 700 recipients who never engage", "700 silent", "4.0% fewer sends")), trained);
        JsonNode open = json(get("/api/v1/ml/recommendations?status=open", readKey, "application/json")).get("items");
        assertThat(open).hasSize(2);
        String id = open.get(0).get("id").asString();
        assertThat(open.get(0).propertyNames()).contains("kind", "subject", "title", "evidence", "expected_effect", "status", "made_at");
        assertThat(post("/api/v1/ml/recommendations/" + id + "/dismiss", readKey).statusCode()).as("a read key decides nothing").isEqualTo(403);
        assertThat(post("/api/v1/ml/recommendations/" + id + "/dismiss", otherAdminKey).statusCode()).as("another workspace's").isEqualTo(404);
        HttpResponse<String> dismissed = post("/api/v1/ml/recommendations/" + id + "/dismiss", shopKeys.get(KeyScope.ADMIN));
        assertThat(json(dismissed).get("status").asString()).isEqualTo("dismissed");
        assertThat(json(dismissed).get("decided_by").asString()).isEqualTo("an admin API key");
        assertThat(post("/api/v1/ml/recommendations/" + id + "/accept", shopKeys.get(KeyScope.ADMIN)).statusCode()).as("decided already").isEqualTo(409);
        assertThat(json(get("/api/v1/ml/recommendations?status=dismissed", readKey, "application/json")).get("items")).hasSize(1);
        assertThat(get("/api/v1/ml/recommendations?status=maybe", readKey, "application/json").statusCode()).isEqualTo(400);
        assertThat(json(get("/api/v1/ml/recommendations", otherReadKey, "application/json")).get("items")).isEmpty();

        predictions.replaceForecasts(shop.id(), List.of(new Predictions.Forecast(campaign, trained, trained.minus(8, ChronoUnit.HOURS), 6, 240,
                Optional.of(0.12), Optional.of(0.135), 0.11, Optional.of(1), Optional.of("EUR"), Optional.of(new java.math.BigDecimal("812.5")),
                Optional.of(new java.math.BigDecimal("700")), Optional.empty())));
        JsonNode forecast = json(get("/api/v1/campaigns/" + campaign + "/forecast", readKey, "application/json")).get("forecast");
        assertThat(forecast.get("human_click_rate").asDouble()).isEqualTo(0.135);
        assertThat(forecast.get("human_click_rate_average").asDouble()).isEqualTo(0.11);
        assertThat(forecast.get("revenue").decimalValue()).isEqualByComparingTo("812.5");
        assertThat(get("/api/v1/campaigns/" + campaign + "/forecast", otherReadKey, "application/json").statusCode()).isEqualTo(404);
        predictions.replaceForecasts(shop.id(), List.of());
        assertThat(json(get("/api/v1/campaigns/" + campaign + "/forecast", readKey, "application/json")).get("forecast").isNull()).isTrue();
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() throws Exception {
        JsonNode document = json(get("/api/v1/openapi.json", readKey, "application/json"));
        assertThat(document.get("openapi").asString()).startsWith("3.1");
        assertThat(document.get("paths").propertyNames()).contains("/api/v1/campaigns", "/api/v1/campaigns/{campaignId}/timeseries",
                "/api/v1/campaigns/{campaignId}/summary", "/api/v1/campaigns/{campaignId}/breakdown/{dimension}",
                "/api/v1/campaigns/{campaignId}/deliverability", "/api/v1/campaigns/{campaignId}/events", "/api/v1/campaigns/{campaignId}/daily",
                "/api/v1/timeseries", "/api/v1/summary", "/api/v1/daily",
                "/api/v1/breakdown/{dimension}", "/api/v1/deliverability", "/api/v1/events", "/api/v1/live");
        JsonNode schemas = document.get("components").get("schemas");
        for (EventType type : EventType.values()) {
            assertThat(schemas.has(type.wireName() + ".v1")).as("the schema of " + type.wireName()).isTrue();
        }
        assertThat(schemas.get("email.open.v1").get("allOf").get(0).get("$ref").asString()).isEqualTo("#/components/schemas/envelope.v1");
        assertThat(schemas.get("email.open.v1").get("properties").get("type").get("const").asString()).isEqualTo("email.open");
        assertThat(schemas.get("envelope.v1").get("$defs").has("custom")).as("the envelope's definitions").isTrue();
        assertThat(schemas.has("enrichment.v1")).isTrue();
        assertThat(get("/api/v1/openapi.json", null, "application/json").statusCode()).as("behind a key too").isEqualTo(401);
    }

    private HttpResponse<String> put(String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        return WireJson.MAPPER.readTree(response.body());
    }
}
