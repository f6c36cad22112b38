package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.core.event.Recipient;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.LoopbackSns;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import dev.mailpulse.traffic.GroundTruth;

/**
 * The whole real-time pipeline, each app its own process, fed by the traffic generator (through the API and the
 * providers' signed webhooks), and the read model and live counters checked against the generator's ground truth,
 * bucket by bucket. processor-validate runs as two instances partitioned by workspace, as scaled under SCDF, and
 * what they publish is watched: no event may come out of them twice. Then the providers' documented payloads, all
 * four providers', go to a workspace that does not store addresses, and no recipient address may be found in a dump
 * of the database, of Redis and of the apps' logs. The console runs beside it: its Analytics API answers the ground
 * truth's counts, in JSON and in CSV, and its live stream delivers an acknowledged event within 2 s.
 */
class PipelineEndToEndTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    @Test
    void generatedTrafficThroughEveryAppEqualsItsGroundTruth() throws Exception {
        try (Pipeline pipeline = new Pipeline("end-to-end", DB, RABBIT, REDIS, 2); LoopbackSns sns = new LoopbackSns()) {
            pipeline.configure("source-collector", "--mailpulse.collector.sns-url-pattern=" + sns.urlPattern(),
                    "--mailpulse.collector.sns-trust-anchors=" + sns.trustAnchorsFile());
            String validated = pipeline.watchOutputOf("processor-validate");
            pipeline.withConsole(REDIS);
            pipeline.start();
            Path truth = Path.of("target/end-to-end/ground-truth.json").toAbsolutePath();
            assertThat(pipeline.cli("generate", "--rate", "250", "--duration", "12", "--seed", "11", "--webhook-percent", "20",
                    "--collector", pipeline.collectorUrl(), "--truth", truth.toString())).as("the generator's run").isZero();
            boolean matches = pipeline.matchesGroundTruth(truth, Duration.ofSeconds(60));
            System.out.println(pipeline.lastCheck());
            assertThat(matches).as("every bucket equals the ground truth (" + pipeline.log("check") + ")").isTrue();
            Workspaces workspaces = new Workspaces(DSL.using(DB.dataSource(), SQLDialect.POSTGRES));
            AnalyticsApi api = new AnalyticsApi(pipeline.consoleUrl(), workspaces);
            // The second run back-fills three days around Paris's last change of time through the history import, then
            // the daily ETL processes them: its facts, and the API's days, equal the truth of each workspace's local days.
            LocalDate start = ZoneId.of("Europe/Paris").getRules().previousTransition(Instant.now().minus(Duration.ofDays(3))).getInstant()
                    .atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
            Path again = Path.of("target/end-to-end/ground-truth-again.json").toAbsolutePath();
            assertThat(pipeline.cli("generate", "--rate", "250", "--duration", "4", "--seed", "12", "--collector", pipeline.collectorUrl(),
                    "--history-days", "3", "--start", start.toString(), "--history-events-per-day", "3000", "--truth", again.toString()))
                    .as("a second run, with history").isZero();
            assertThat(GroundTruth.read(again).workspaces()).as("the same workspaces again").isEqualTo(GroundTruth.read(truth).workspaces());
            assertThat(pipeline.matchesGroundTruth(again, Duration.ofSeconds(90)))
                    .as("what they held and what the second run added (" + pipeline.log("check") + ")").isTrue();
            assertThat(pipeline.cli("etl")).as("the daily ETL (" + pipeline.log("etl") + ")").isZero();
            assertThat(pipeline.matchesGroundTruth(again, Duration.ofSeconds(10))).as("the daily facts (" + pipeline.log("check") + ")").isTrue();
            System.out.println(pipeline.lastCheck());
            Matcher processed = Pattern.compile("([\\d,]+) of ([\\d,]+) workspace-local days processed").matcher(pipeline.lastCheck());
            assertThat(processed.find()).isTrue();
            assertThat(Integer.parseInt(processed.group(1).replace(",", ""))).as("the history's days, at least three a workspace").isGreaterThanOrEqualTo(9);
            Matcher compared = Pattern.compile("([\\d,]+) attributed days: .* ([\\d,]+) campaigns' lifetime KPIs and benchmark ranks compared")
                    .matcher(pipeline.lastCheck());
            assertThat(compared.find()).isTrue();
            assertThat(Integer.parseInt(compared.group(1).replace(",", ""))).as("days attributed and compared").isGreaterThanOrEqualTo(9);
            assertThat(Integer.parseInt(compared.group(2).replace(",", ""))).as("campaigns ranked and compared").isPositive();
            Matcher trends = Pattern.compile("([\\d,]+) of ([\\d,]+) trend values").matcher(pipeline.lastCheck());
            assertThat(trends.find()).isTrue();
            assertThat(Integer.parseInt(trends.group(2).replace(",", ""))).as("trend values compared").isPositive();
            Map<String, Map<String, Long>> daily = api.dailyCountsOfEveryCampaign(GroundTruth.read(again));
            Map<String, Map<String, Long>> expectedDays = AnalyticsApi.campaignDays(GroundTruth.read(again));
            expectedDays.keySet().retainAll(daily.keySet());
            assertThat(daily).as("the API's days of the campaigns, as the ETL counted them").hasSizeGreaterThanOrEqualTo(9).isEqualTo(expectedDays);
            // Revenue attributed by message and by click, costs and ROI, benchmark ranks: as the truth has them
            AnalyticsApi.Business business = api.businessOfEveryCampaign(GroundTruth.read(again));
            assertThat(business.answered()).as("the API's revenue, ROI and ranks").isEqualTo(business.expected());
            assertThat(business.expected().keySet()).as("revenue of days, and ranks, compared").anyMatch(k -> k.contains(" rank "))
                    .anyMatch(k -> k.matches(".* \\d{4}-\\d{2}-\\d{2} [A-Z]{3}"));

            List<String> published = pipeline.eventIdsPublished(validated);
            System.out.printf("The two processor-validate instances published %,d events, %,d distinct%n", published.size(),
                    new HashSet<>(published).size());
            assertThat(published).as("no event processed twice").doesNotHaveDuplicates();

            GroundTruth expected = GroundTruth.read(truth);
            assertThat(api.hourlyCountsOfEveryCampaign(expected, "application/json")).as("the Analytics API's counts, in JSON")
                    .isEqualTo(AnalyticsApi.campaignBuckets(expected));
            assertThat(api.hourlyCountsOfEveryCampaign(expected, "text/csv")).as("and in CSV").isEqualTo(AnalyticsApi.campaignBuckets(expected));
            Duration streamed = api.streamedAfterAcknowledgement(pipeline.collectorUrl(), expected.workspaces().get(0).name());
            System.out.printf("An event acknowledged by the collector reached a live-stream client in %d ms%n", streamed.toMillis());
            assertThat(streamed).as("from the collector's acknowledgement to a WebSocket client").isLessThan(Duration.ofSeconds(2));

            DocumentedWebhooks documented = new DocumentedWebhooks(pipeline.collectorUrl(), sns);
            documented.sendAll(workspaces, "private-shop");
            UUID privateShop = workspaces.find("private-shop").orElseThrow().id();
            assertThat(storedOf(privateShop, documented.toStore(), Duration.ofSeconds(60))).as("every item taken, stored as an event or a failure")
                    .isEqualTo(documented.toStore());
            String database = DB.dump();
            String redis = REDIS.dump();
            String dump = database + redis + pipeline.appLogs();
            Recipient pseudonym = new RecipientPseudonymizer(Pipeline.RECIPIENT_HASH_SECRET.getBytes(StandardCharsets.UTF_8))
                    .pseudonymise(privateShop, "recipient@example.com", false);
            assertThat(dump).as("the dump holds the events, pseudonymous").contains(pseudonym.hash() + "@example.com");
            assertThat(database.lines().filter(row -> row.startsWith("public.events ") && row.contains(privateShop.toString())).count())
                    .as("most documented payloads stored as events, not failures").isGreaterThan(documented.toStore() / 2);
            assertThat(redis).as("and in the live feed").contains(privateShop + ":feed");
            assertThat(Pattern.compile("user\\d+(@|%40)", Pattern.CASE_INSENSITIVE).matcher(dump).results().map(MatchResult::group).toList())
                    .as("the generator's recipients (through the API and the Mailgun and SendGrid webhooks)").isEmpty();
            for (String address : DocumentedWebhooks.RECIPIENTS) {
                assertThat(dump).as("the documented recipient " + address).doesNotContainIgnoringCase(address)
                        .doesNotContainIgnoringCase(address.replace("@", "%40"));
            }
            assertThat(enrichmentsBreakingTheirContract()).as("every stored event's enrichment, generated and documented alike").isEmpty();
        }
    }

    private static List<String> enrichmentsBreakingTheirContract() throws Exception {
        EventSchemas schemas = new EventSchemas();
        List<String> broken = new ArrayList<>();
        try (Connection connection = DB.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT event_type, enrichment::text FROM events")) {
            while (rows.next()) {
                var violations = schemas.validateEnrichment(WireJson.MAPPER.readTree(rows.getString(2)));
                if (!violations.isEmpty()) {
                    broken.add(rows.getString(1) + " " + rows.getString(2) + ": " + violations);
                }
            }
        }
        return broken;
    }

    private static long storedOf(UUID workspace, long expected, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long stored;
        try (Connection connection = DB.connect(); var statement = connection.prepareStatement(
                "SELECT (SELECT count(*) FROM events WHERE workspace_id = ?) + (SELECT count(*) FROM failed_events WHERE workspace_id = ?)")) {
            statement.setObject(1, workspace);
            statement.setObject(2, workspace);
            do {
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    stored = rows.getLong(1);
                }
                if (stored >= expected) {
                    return stored;
                }
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
        }
        return stored;
    }
}
