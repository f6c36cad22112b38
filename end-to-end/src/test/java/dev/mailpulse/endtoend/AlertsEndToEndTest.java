package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import dev.mailpulse.alerting.AlertPreset;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.SignedWebhookReceiver;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gmail/Yahoo preset from the collector on, as operators run it: every app its own process, two alert evaluators
 * in their consumer group on processor-enrich's tap. A complaint spike at Yahoo, posted to the collector, is told
 * within 10 seconds of the collector's acknowledgement: one signed webhook (its signature checked by the receiver) and
 * one e-mail (to a real SMTP server) per rule. One evaluator is killed with SIGKILL while the alerts fire, and started
 * again: nothing is told twice. Deliveries then bring Yahoo's rate back under both recoveries: one resolution each.
 */
class AlertsEndToEndTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private static SignedWebhookReceiver receiver;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void receivers() throws IOException {
        SMTP.start();
        receiver = new SignedWebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        SMTP.stop();
    }

    @Test
    void aComplaintSpikeAtYahooIsToldOnceWithinTenSecondsThroughACrashAndResolvedOnce() throws Exception {
        DSLContext db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        Workspaces.Created shop = new Workspaces(db).create("alerts-end-to-end", "UTC", false);
        ArrayNode channels = WireJson.MAPPER.createArrayNode();
        channels.addObject().put("type", "webhook").put("url", receiver.url()).put("secret", SignedWebhookReceiver.SECRET);
        channels.addObject().put("type", "email").put("to", "deliverability@example.com");
        AlertRules rules = new AlertRules(db, shop.workspace().id());
        AlertPreset.BULK_SENDER_COMPLAINTS.rules(channels).forEach(rules::create);

        try (Pipeline pipeline = new Pipeline("alerts", DB, RABBIT, REDIS, 1)) {
            pipeline.withAlertEvaluators(2, SMTP.getSmtp().getPort());
            pipeline.without("sink-redis"); // the live cache plays no part in alerts
            pipeline.start();
            String key = shop.key().key();
            post(pipeline, key, emails("email.deliver", "yahoo", 300));
            post(pipeline, key, emails("email.deliver", "gmail", 300));
            waitUntil(() -> stored(db, shop) == 600, Duration.ofSeconds(60), "the deliveries stored");
            assertThat(receiver.signed()).as("no complaint, nothing told").isEmpty();

            post(pipeline, key, emails("email.complaint", "yahoo", 2)); // 0.67% of Yahoo's deliveries: past 0.1% and 0.3%
            Instant acknowledged = Instant.now();
            waitUntil(() -> receiver.signed().size() == 2 && SMTP.getReceivedMessages().length == 2, Duration.ofSeconds(10),
                    "both rules' webhooks and e-mails within 10 s of the collector's acknowledgement");
            System.out.printf("AlertsEndToEndTest: Yahoo's complaints told %d ms after the collector acknowledged them%n",
                    Duration.between(acknowledged, Instant.now()).toMillis());
            assertThat(receiver.signed()).allSatisfy(told -> {
                assertThat(told.get("state").asString()).isEqualTo("firing");
                assertThat(told.get("labels").get("mailbox_provider").asString()).isEqualTo("yahoo");
                assertThat(told.get("value").asDouble()).isEqualTo(2.0 / 300);
            }).extracting(told -> told.get("severity").asString()).containsExactlyInAnyOrder("warning", "critical");

            // The notifier commits a notification as sent after its receiver took it; a crash in between sends it again
            // (at least once: receivers deduplicate by notification id). What the crash must not do is evaluate again.
            waitUntil(() -> db.fetchCount(db.selectFrom("alert_notifications").where("state = 'sent'")) == 4, Duration.ofSeconds(10),
                    "the four notifications recorded as sent");
            pipeline.crashAndRestart(Pipeline.ALERTS + "-0");
            Thread.sleep(6_000);
            assertThat(receiver.signed()).as("told once, through the crash").hasSize(2);
            assertThat(SMTP.getReceivedMessages()).hasSize(2);

            for (int batch = 0; batch < 6; batch++) { // 2 complaints of 3,300 deliveries: 0.06%, under both recoveries (0.08%, 0.24%)
                post(pipeline, key, emails("email.deliver", "yahoo", 500));
            }
            waitUntil(() -> receiver.signed().size() == 4 && SMTP.getReceivedMessages().length == 4, Duration.ofSeconds(90), "both resolutions");
            Thread.sleep(6_000);
            assertThat(receiver.signed()).hasSize(4);
            assertThat(SMTP.getReceivedMessages()).hasSize(4);
            assertThat(receiver.signed().subList(2, 4)).extracting(told -> told.get("state").asString()).containsExactly("resolved", "resolved");
            assertThat(receiver.unsigned()).as("every webhook signed").isEmpty();
            assertThat(db.fetch("""
                    SELECT to_state FROM alert_transitions WHERE workspace_id = ? AND to_state IN ('firing', 'resolved')
                    ORDER BY at, transition_id""", shop.workspace().id()).getValues(0, String.class))
                    .as("each transition made once, by either evaluator").containsExactly("firing", "firing", "resolved", "resolved");
        }
    }

    /** {@code count} e-mail events of a type, each a message of its own to a recipient at the provider's domain. */
    private static ArrayNode emails(String type, String provider, int count) {
        ArrayNode events = WireJson.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ObjectNode event = events.addObject().put("event_id", id).put("type", type).put("schema_version", 1)
                    .put("occurred_at", Instant.now().toString()).put("campaign_id", "winter").put("message_id", "<" + id + "@mail.example.com>")
                    .put("recipient", "reader-" + id.substring(0, 13) + "@" + provider + ".com");
            event.putObject("attributes");
        }
        return events;
    }

    /** Posts the events to the collector until it takes them (202), waiting out its rate limit. */
    private void post(Pipeline pipeline, String key, ArrayNode events) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(pipeline.collectorUrl() + "/v1/events"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(WireJson.MAPPER.writeValueAsString(events))).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 202) {
                assertThat(WireJson.MAPPER.readTree(answer.body()).get("accepted").asInt()).as(answer.body()).isEqualTo(events.size());
                return;
            }
            assertThat(answer.statusCode()).as(answer.body()).isIn(429, 503);
            assertThat(attempt).as("the collector takes the events in the end").isLessThan(100);
            Thread.sleep(500);
        }
    }

    private static int stored(DSLContext db, Workspaces.Created shop) {
        return db.fetchCount(DSL.table("events"), DSL.field("workspace_id").eq(shop.workspace().id()));
    }

    private static void waitUntil(BooleanSupplier done, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
