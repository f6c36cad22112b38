package dev.mailpulse.sink.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.mailpulse.alerting.AlertRuleJson;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.SignedWebhookReceiver;
import dev.mailpulse.core.event.EnrichedEvents;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * sink-alerts over the real broker and database, a real SMTP server and a real webhook receiver: complaints at Yahoo
 * arrive (stored, as sink-timescale stores them, and on the tap, as processor-enrich sends them) and the Gmail/Yahoo
 * threshold's Yahoo instance fires within 10 seconds (while three complaints of three deliveries at Outlook, under the
 * rule's minimum volume, fire nothing), one signed webhook and one e-mail; deliveries that bring the
 * rate back under the threshold resolve it, one of each again; and nothing more while the rounds go on.
 */
@SpringBootTest(properties = {"mailpulse.alerting.evaluate-every=1s", "mailpulse.alerting.notify-every=200ms"})
class SinkAlertsApplicationTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();
    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private static SignedWebhookReceiver receiver;
    private static String enriched;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        enriched = RABBIT.exchange("enriched");
        RABBIT.queue("enriched.mailpulse-alerts");
        DB.registerDataSource(registry);
        registry.add("spring.rabbitmq.addresses", TestRabbit::uri);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> enriched);
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

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

    @Autowired
    DSLContext db;

    @Test
    void complaintsAtYahooFireItsInstanceWithinTenSecondsAndDeliveriesResolveIt() throws Exception {
        UUID shop = UUID.randomUUID();
        db.execute("INSERT INTO workspaces (workspace_id, name) VALUES (?, ?)", shop, "alerts-" + shop);
        new AlertRules(db, shop).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.003,
                 "min_volume": 100, "severity": "critical", "channels": [
                   {"type": "webhook", "url": "%s", "secret": "%s"}, {"type": "email", "to": "ops@example.com"}]}"""
                .formatted(receiver.url(), SignedWebhookReceiver.SECRET))));
        arrive(events(shop, "email.deliver", "gmail", 200), events(shop, "email.deliver", "yahoo", 200));
        arrive(events(shop, "email.deliver", "outlook", 3), events(shop, "email.complaint", "outlook", 3)); // 100%, of 3
        Thread.sleep(3_000);
        assertThat(receiver.signed()).as("the minimum volume keeps three deliveries from firing").isEmpty();

        Instant complained = Instant.now();
        arrive(events(shop, "email.complaint", "yahoo", 3)); // 1.5% at Yahoo
        waitUntil(() -> receiver.signed().size() == 1 && SMTP.getReceivedMessages().length == 1, Duration.ofSeconds(10));
        Duration latency = Duration.between(complained, Instant.now());
        System.out.printf("Yahoo's complaints were notified in %d ms%n", latency.toMillis());
        JsonNode firing = receiver.signed().get(0);
        assertThat(firing.get("state").asString()).isEqualTo("firing");
        assertThat(firing.get("labels").get("mailbox_provider").asString()).isEqualTo("yahoo");
        assertThat(firing.get("value").asDouble()).isEqualTo(3.0 / 200);
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getSubject()).contains("FIRING critical: complaints {mailbox_provider=yahoo}");

        arrive(events(shop, "email.deliver", "yahoo", 2_000)); // 3 of 2,200: 0.136%, under 0.3%
        waitUntil(() -> receiver.signed().size() == 2 && SMTP.getReceivedMessages().length == 2, Duration.ofSeconds(10));
        assertThat(receiver.signed().get(1).get("state").asString()).isEqualTo("resolved");
        assertThat(receiver.signed().get(1).get("labels").get("mailbox_provider").asString()).isEqualTo("yahoo");
        Thread.sleep(3_000); // rounds go on
        assertThat(receiver.signed()).as("one notification per transition").hasSize(2);
        assertThat(SMTP.getReceivedMessages()).hasSize(2);
        assertThat(db.fetch("SELECT to_state FROM alert_transitions WHERE workspace_id = ? AND labels ->> 'mailbox_provider' = 'yahoo' ORDER BY at, transition_id",
                shop).getValues(0, String.class)).as("resolved, then normal at the next round: not told").containsExactly("firing", "resolved", "normal");
    }

    /** Events that sink-timescale has stored and that processor-enrich publishes on the tap. */
    @SafeVarargs
    private void arrive(List<Event>... batches) throws Exception {
        List<Event> events = new ArrayList<>();
        for (List<Event> batch : batches) {
            events.addAll(batch);
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            ArrayNode message = JsonNodeFactory.instance.arrayNode();
            events.forEach(event -> message.add(EventJson.toJson(event)));
            channel.basicPublish(enriched, "", new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    message.toString().getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    private static List<Event> events(UUID workspace, String type, String provider, int count) {
        Instant now = Instant.now();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EnrichedEvents.email(workspace, type, now, provider, "winter"));
        }
        return events;
    }

    private static void waitUntil(BooleanSupplier done, Duration patience) throws InterruptedException {
        Instant until = Instant.now().plus(patience);
        while (!done.getAsBoolean() && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        assertThat(done.getAsBoolean()).as("within " + patience).isTrue();
    }
}
