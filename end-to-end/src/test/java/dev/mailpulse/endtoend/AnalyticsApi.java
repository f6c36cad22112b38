package dev.mailpulse.endtoend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.traffic.GroundTruth;
import tools.jackson.databind.JsonNode;

/** The console's Analytics API and live stream as a client application uses them, with keys issued for the test. */
final class AnalyticsApi {

    private final String consoleUrl;
    private final Workspaces workspaces;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    AnalyticsApi(String consoleUrl, Workspaces workspaces) {
        this.consoleUrl = consoleUrl;
        this.workspaces = workspaces;
    }

    /** The truth's buckets of campaigns (the API's series are per campaign), as "workspace campaign type hour". */
    static Map<String, Long> campaignBuckets(GroundTruth truth) {
        Map<String, Long> buckets = new HashMap<>();
        for (GroundTruth.Bucket bucket : truth.expected()) {
            if (!bucket.campaign().isEmpty()) {
                buckets.put(bucket.workspace() + " " + bucket.campaign() + " " + bucket.type() + " " + bucket.hour(), bucket.count());
            }
        }
        return buckets;
    }

    /** The truth's daily counts of its campaigns, as "workspace campaign day" to counts by type. */
    static Map<String, Map<String, Long>> campaignDays(GroundTruth truth) {
        Map<String, Map<String, Long>> days = new HashMap<>();
        for (GroundTruth.DayBucket bucket : truth.expectedDays()) {
            days.computeIfAbsent(bucket.workspace() + " " + bucket.campaign() + " " + bucket.day(), d -> new HashMap<>())
                    .put(bucket.type(), bucket.count());
        }
        return days;
    }

    /**
     * Every campaign's days as the daily ETL counted them ({@code /daily}), over the truth's days, through a read key of
     * each workspace: "workspace campaign day" to counts by type, for the days processed.
     */
    Map<String, Map<String, Long>> dailyCountsOfEveryCampaign(GroundTruth truth) throws Exception {
        LocalDate first = truth.expectedDays().stream().map(GroundTruth.DayBucket::day).min(LocalDate::compareTo).orElseThrow();
        LocalDate last = truth.expectedDays().stream().map(GroundTruth.DayBucket::day).max(LocalDate::compareTo).orElseThrow();
        Map<String, Map<String, Long>> answered = new HashMap<>();
        for (GroundTruth.Workspace workspace : truth.workspaces()) {
            String key = workspaces.issueKey(workspace.name(), "end-to-end", KeyScope.READ).key();
            Set<String> campaigns = new TreeSet<>();
            truth.expectedDays().stream().filter(b -> b.workspace().equals(workspace.id())).forEach(b -> campaigns.add(b.campaign()));
            for (String campaign : campaigns) {
                HttpResponse<String> days = get("/api/v1/campaigns/" + URLEncoder.encode(campaign, StandardCharsets.UTF_8) + "/daily?from=" + first
                        + "&to=" + last, key, "application/json");
                if (days.statusCode() != 200) {
                    throw new AssertionError("GET the days of " + campaign + ": " + days.statusCode() + " " + days.body());
                }
                for (JsonNode day : WireJson.MAPPER.readTree(days.body()).get("items")) {
                    Map<String, Long> counts = new HashMap<>();
                    day.get("counts").properties().forEach(count -> counts.put(count.getKey(), count.getValue().asLong()));
                    if (!counts.isEmpty()) { // not a day of revenue attributed alone
                        answered.put(workspace.id() + " " + campaign + " " + day.get("date").asString(), counts);
                    }
                }
            }
        }
        return answered;
    }

    /**
     * What the API serves of the business, beside what the truth says of the same: per campaign, its attributed
     * revenue on each day it answers for ({@code /daily}), its cost and ROI over those days ({@code /roi}), its
     * benchmark ranks ({@code /benchmarks}); as "workspace campaign what" to a value.
     */
    record Business(Map<String, String> answered, Map<String, String> expected) {
    }

    Business businessOfEveryCampaign(GroundTruth truth) throws Exception {
        LocalDate first = truth.expectedDays().stream().map(GroundTruth.DayBucket::day).min(LocalDate::compareTo).orElseThrow();
        LocalDate last = truth.attribution().stream().map(GroundTruth.Credit::day).max(LocalDate::compareTo).orElse(first);
        Map<String, String> answered = new TreeMap<>();
        Map<String, String> expected = new TreeMap<>();
        for (GroundTruth.Workspace workspace : truth.workspaces()) {
            String key = workspaces.issueKey(workspace.name(), "end-to-end", KeyScope.READ).key();
            for (GroundTruth.CampaignKpis campaign : truth.campaigns().stream().filter(c -> c.workspace().equals(workspace.id())).toList()) {
                String name = workspace.id() + " " + campaign.campaign() + " ";
                String path = "/api/v1/campaigns/" + URLEncoder.encode(campaign.campaign(), StandardCharsets.UTF_8);
                Set<LocalDate> days = new TreeSet<>();
                for (JsonNode day : read(path + "/daily?from=" + first + "&to=" + (last.isBefore(first) ? first : last), key).get("items")) {
                    days.add(LocalDate.parse(day.get("date").asString()));
                    day.get("attributed_revenue").properties().forEach(r -> answered.put(name + day.get("date").asString() + " " + r.getKey(),
                            r.getValue().decimalValue().stripTrailingZeros().toPlainString()));
                }
                Map<String, BigDecimal> revenue = new TreeMap<>();
                Map<String, BigDecimal> byDay = new TreeMap<>();
                truth.attribution().stream().filter(c -> c.workspace().equals(workspace.id()) && c.campaign().equals(campaign.campaign())
                        && days.contains(c.day())).forEach(c -> {
                            byDay.merge(name + c.day() + " " + c.currency(), c.revenue(), BigDecimal::add);
                            revenue.merge(c.currency(), c.revenue(), BigDecimal::add);
                        });
                byDay.forEach((k, v) -> expected.put(k, v.stripTrailingZeros().toPlainString()));
                JsonNode roi = read(path + "/roi", key);
                answered.put(name + "cost", roi.get("cost").isNull() ? "none"
                        : roi.get("cost").get("amount").decimalValue().stripTrailingZeros().toPlainString() + " " + roi.get("cost").get("currency").asString());
                answered.put(name + "roi", roi.get("roi").isNull() ? "none" : roi.get("roi").decimalValue().toPlainString());
                Optional<GroundTruth.Cost> cost = truth.costs().stream()
                        .filter(c -> c.workspace().equals(workspace.id()) && c.campaign().equals(campaign.campaign())).findFirst();
                expected.put(name + "cost", cost.map(c -> c.amount().stripTrailingZeros().toPlainString() + " " + c.currency()).orElse("none"));
                expected.put(name + "roi", cost.filter(c -> c.amount().signum() > 0)
                        .map(c -> revenue.getOrDefault(c.currency(), BigDecimal.ZERO).subtract(c.amount()).divide(c.amount(), 4, RoundingMode.HALF_EVEN)
                                .toPlainString()).orElse("none"));
                for (JsonNode rank : read(path + "/benchmarks", key).get("items")) {
                    answered.put(name + "rank " + rank.get("kpi").asString(), String.format(Locale.ROOT, "%.6f", rank.get("percentile").asDouble()));
                }
                campaign.ranks().forEach((kpi, percentile) -> expected.put(name + "rank " + kpi, String.format(Locale.ROOT, "%.6f", percentile)));
            }
        }
        return new Business(answered, expected);
    }

    private JsonNode read(String path, String key) throws Exception {
        HttpResponse<String> response = get(path, key, "application/json");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return WireJson.MAPPER.readTree(response.body());
    }

    /** Every campaign's hourly series over the truth's range, through a read key of each workspace, in JSON or CSV. */
    Map<String, Long> hourlyCountsOfEveryCampaign(GroundTruth truth, String accept) throws Exception {
        Instant first = truth.expected().stream().map(GroundTruth.Bucket::hour).min(Instant::compareTo).orElseThrow();
        Instant last = truth.expected().stream().map(GroundTruth.Bucket::hour).max(Instant::compareTo).orElseThrow();
        Map<String, Long> answered = new HashMap<>();
        for (GroundTruth.Workspace workspace : truth.workspaces()) {
            String key = workspaces.issueKey(workspace.name(), "end-to-end", KeyScope.READ).key();
            Set<String> campaigns = new TreeSet<>();
            truth.expected().stream().filter(b -> b.workspace().equals(workspace.id()) && !b.campaign().isEmpty())
                    .forEach(b -> campaigns.add(b.campaign()));
            for (String campaign : campaigns) {
                HttpResponse<String> series = get("/api/v1/campaigns/" + URLEncoder.encode(campaign, StandardCharsets.UTF_8)
                        + "/timeseries?granularity=hour&from=" + first + "&to=" + last.plus(1, ChronoUnit.HOURS), key, accept);
                if (series.statusCode() != 200) {
                    throw new AssertionError("GET the series of " + campaign + ": " + series.statusCode() + " " + series.body());
                }
                if (accept.equals("text/csv")) {
                    List<String> lines = series.body().lines().toList();
                    for (String line : lines.subList(1, lines.size())) {
                        String[] cells = line.split(",");
                        answered.put(workspace.id() + " " + campaign + " " + cells[1] + " " + Instant.parse(cells[0]), Long.parseLong(cells[2]));
                    }
                } else {
                    for (JsonNode point : WireJson.MAPPER.readTree(series.body()).get("items")) {
                        answered.put(workspace.id() + " " + campaign + " " + point.get("event_type").asString() + " "
                                + Instant.parse(point.get("bucket").asString()), point.get("event_count").asLong());
                    }
                }
            }
        }
        return answered;
    }

    /**
     * How long an event takes from the collector's acknowledgement (202: the broker has it) to a client of the live
     * stream, subscribed to the workspace's feed.
     */
    Duration streamedAfterAcknowledgement(String collectorUrl, String workspaceName) throws Exception {
        String readKey = workspaces.issueKey(workspaceName, "end-to-end stream", KeyScope.READ).key();
        String ingestKey = workspaces.issueKey(workspaceName, "end-to-end stream", KeyScope.INGEST).key();
        String eventId = UUID.randomUUID().toString();
        CompletableFuture<Instant> received = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + readKey)
                .buildAsync(URI.create(consoleUrl.replace("http://", "ws://") + "/api/v1/stream"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            if (partial.toString().contains(eventId)) {
                                received.complete(Instant.now());
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        socket.sendText("{\"subscribe\": \"feed\", \"campaign_id\": \"live-check\"}", true).join();
        Thread.sleep(1_000); // subscribed before the event is sent
        String event = """
                {"event_id": "%s", "type": "email.open", "schema_version": 1, "occurred_at": "%s", "campaign_id": "live-check",
                 "message_id": "<live-check@example.com>", "recipient": "someone@example.com"}
                """.formatted(eventId, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        HttpResponse<String> acknowledged = http.send(HttpRequest.newBuilder(URI.create(collectorUrl + "/v1/events"))
                .header("Authorization", "Bearer " + ingestKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        Instant acknowledgedAt = Instant.now();
        if (acknowledged.statusCode() != 202) {
            throw new AssertionError("the collector did not take the event: " + acknowledged.statusCode() + " " + acknowledged.body());
        }
        try {
            return Duration.between(acknowledgedAt, received.get(30, TimeUnit.SECONDS));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    private HttpResponse<String> get(String path, String key, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(consoleUrl + path)).header("Authorization", "Bearer " + key).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
