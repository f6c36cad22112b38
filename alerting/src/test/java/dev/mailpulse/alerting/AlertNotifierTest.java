package dev.mailpulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;

/**
 * The notifier against a real SMTP server (GreenMail) and a real HTTP receiver in the test's process: a firing
 * transition is e-mailed once and posted once with a signature the receiver's check accepts; a receiver down for
 * longer than two retry intervals gets the notification once, when it is back; one that keeps failing is given up,
 * one that refuses is failed at once; two notifiers at once send each notification once. Time is the test's clock.
 */
class AlertNotifierTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final String SECRET = "a-receivers-secret-0123456789";
    private static final Instant FIRED = Instant.parse("2026-11-20T10:15:30Z");
    private static final AlertNotifier.Settings SETTINGS = new AlertNotifier.Settings(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(10), Duration.ofSeconds(5), "alerts@mailpulse.test");
    private static DSLContext db;

    private final MovingClock clock = new MovingClock(FIRED);
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger answer = new AtomicInteger(204);
    private HttpServer receiver;
    private GreenMail smtp;
    private JavaMailSenderImpl mail;
    private UUID shop;

    private record Received(String signature, byte[] body, int answered) {
    }

    @BeforeEach
    void start() throws Exception {
        if (db == null) {
            SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
            db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        }
        receiver = listen(0);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(smtp.getSmtp().getPort());
        shop = UUID.randomUUID();
        db.execute("INSERT INTO workspaces (workspace_id, name) VALUES (?, ?)", shop, "shop-" + shop);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        smtp.stop();
    }

    @Test
    void aFiringIsEmailedOnceAndPostedOnceSignedAsTheContractSays() throws Exception {
        plant(fire(rule("{\"type\": \"webhook\", \"url\": \"" + hook() + "\", \"secret\": \"" + SECRET + "\"}, {\"type\": \"email\", \"to\": \"ops@example.com\"}")));
        AlertNotifier notifier = new AlertNotifier(db, mail, SETTINGS, clock);

        assertThat(notifier.sendDue(10)).isEqualTo(new AlertNotifier.Outcome(2, 0, 0));
        assertThat(notifier.sendDue(10).handled()).as("nothing is sent twice").isZero();

        assertThat(received).hasSize(1);
        Received post = received.get(0);
        assertThat(WebhookSignature.verify(SECRET, post.signature(), post.body(), clock.instant(), Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify("another-secret-0123456789", post.signature(), post.body(), clock.instant(), Duration.ofMinutes(5)))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, post.signature(), post.body(), clock.instant().plus(Duration.ofMinutes(6)), Duration.ofMinutes(5)))
                .as("a replay, later").isFalse();
        assertThat(post.signature()).matches("t=" + clock.instant().getEpochSecond() + ",v1=[0-9a-f]{64}");
        JsonNode body = WireJson.MAPPER.readTree(post.body());
        assertThat(body.get("state").asString()).isEqualTo("firing");
        assertThat(body.get("previous_state").asString()).isEqualTo("pending");
        assertThat(body.get("labels").get("mailbox_provider").asString()).isEqualTo("yahoo");
        assertThat(body.get("rule_name").asString()).isEqualTo("complaints");
        assertThat(body.get("value").asDouble()).isEqualTo(0.0125);
        assertThat(body.get("message").asString()).isEqualTo("Complaints at yahoo: 1.250% of 400 deliveries");
        assertThat(body.get("notification_id").asLong()).isPositive();

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(mails[0].getSubject()).startsWith("[MailPulse] FIRING warning: complaints {mailbox_provider=yahoo}");
        assertThat(mails[0].getContent().toString()).contains("Complaints at yahoo: 1.250% of 400 deliveries", "pending -> firing");
        assertThat(states()).containsOnly("sent");
    }

    @Test
    void aReceiverDownForLongerThanTwoRetryIntervalsGetsTheNotificationOnceWhenBack() throws Exception {
        plant(fire(rule("{\"type\": \"webhook\", \"url\": \"" + hook() + "\", \"secret\": \"" + SECRET + "\"}")));
        AlertNotifier notifier = new AlertNotifier(db, mail, SETTINGS, clock);
        answer.set(503);
        assertThat(notifier.sendDue(10)).isEqualTo(new AlertNotifier.Outcome(0, 1, 0));
        clock.move(Duration.ofSeconds(9));
        assertThat(notifier.sendDue(10).handled()).as("not before its back-off").isZero();
        clock.move(Duration.ofSeconds(1));
        assertThat(notifier.sendDue(10).retrying()).isEqualTo(1);
        clock.move(Duration.ofSeconds(20)); // the back-off doubles
        assertThat(notifier.sendDue(10).retrying()).isEqualTo(1);
        receiver.stop(0); // and then nothing listens at all
        clock.move(Duration.ofSeconds(40));
        assertThat(notifier.sendDue(10).retrying()).isEqualTo(1);
        assertThat(db.fetchValue("SELECT last_error FROM alert_notifications WHERE workspace_id = ?", shop).toString())
                .startsWith("the receiver could not be reached");

        receiver = listen(receiver.getAddress().getPort());
        answer.set(200);
        clock.move(Duration.ofMinutes(1));
        assertThat(notifier.sendDue(10)).isEqualTo(new AlertNotifier.Outcome(1, 0, 0));
        clock.move(Duration.ofMinutes(5));
        assertThat(notifier.sendDue(10).handled()).isZero();
        assertThat(received).extracting(Received::answered).containsExactly(503, 503, 503, 200);
        assertThat(states()).containsExactly("sent");
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpAndOneThatRefusesIsFailedAtOnce() {
        UUID rule = rule("{\"type\": \"webhook\", \"url\": \"" + hook() + "\", \"secret\": \"" + SECRET + "\"}");
        plant(fire(rule));
        AlertNotifier notifier = new AlertNotifier(db, mail, SETTINGS, clock);
        answer.set(500);
        int attempts = 0;
        while (notifier.sendDue(10).retrying() == 1) {
            attempts++;
            clock.move(Duration.ofMinutes(1));
        }
        assertThat(attempts).as("tried until ten minutes had passed").isBetween(10, 14);
        assertThat(db.fetchSingle("SELECT state, last_error FROM alert_notifications WHERE workspace_id = ?", shop).intoList())
                .containsExactly("failed", "the receiver answered 500");

        answer.set(410);
        plant(fire(rule));
        assertThat(notifier.sendDue(10)).isEqualTo(new AlertNotifier.Outcome(0, 0, 1));
        assertThat(db.fetchSingle("SELECT attempts, last_error FROM alert_notifications WHERE workspace_id = ? AND attempts = 1", shop).intoList())
                .containsExactly(1, "the receiver answered 410");
    }

    @Test
    void twoNotifiersAtOnceSendEachNotificationOnce() throws Exception {
        UUID rule = rule("{\"type\": \"webhook\", \"url\": \"" + hook() + "\", \"secret\": \"" + SECRET + "\"}");
        for (int i = 0; i < 30; i++) {
            plant(fire(rule, "yahoo", FIRED.minusSeconds(i))); // 30 evaluations: 30 messages
        }
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<AlertNotifier.Outcome>> both = new ArrayList<>();
            for (int notifier = 0; notifier < 2; notifier++) {
                both.add(two.submit(() -> new AlertNotifier(db, mail, SETTINGS, clock).sendDue(100)));
            }
            assertThat(both.get(0).get().sent() + both.get(1).get().sent()).isEqualTo(30);
        } finally {
            two.shutdown();
        }
        assertThat(received.stream().map(r -> WireJson.MAPPER.readTree(r.body()).get("notification_id").asLong()).distinct().count())
                .isEqualTo(30).isEqualTo(received.size());
    }

    @Test
    void aStormOfInstancesFiringInOneEvaluationIsOneMessagePerChannel() throws Exception {
        UUID rule = rule("{\"type\": \"webhook\", \"url\": \"" + hook() + "\", \"secret\": \"" + SECRET + "\"}, {\"type\": \"email\", \"to\": \"ops@example.com\"}");
        for (int i = 0; i < 40; i++) {
            plant(fire(rule, "domain-" + i, FIRED));
        }
        plant(fire(rule, "yahoo", FIRED.plusSeconds(60))); // the next evaluation's: a message of its own
        clock.move(Duration.ofMinutes(1));
        assertThat(new AlertNotifier(db, mail, SETTINGS, clock).sendDue(10)).isEqualTo(new AlertNotifier.Outcome(82, 0, 0));
        assertThat(received).hasSize(2);
        JsonNode storm = WireJson.MAPPER.readTree(received.get(0).body());
        assertThat(storm.get("alerts")).hasSize(40);
        assertThat(storm.get("alerts").valueStream().map(a -> a.get("labels").get("mailbox_provider").asString()).distinct()).hasSize(40);
        assertThat(WireJson.MAPPER.readTree(received.get(1).body()).get("alerts")).hasSize(1);
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[0].getSubject()).contains("complaints 40 instances");
        assertThat(mails[0].getContent().toString()).contains("Instance {mailbox_provider=domain-39}: pending -> firing, value 1.250%, volume 400");
    }

    private UUID rule(String channels) {
        return new AlertRules(db, shop).create(AlertRuleJson.read(WireJson.MAPPER.readTree("""
                {"name": "complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.003,
                 "min_volume": 20, "severity": "warning", "message": "Complaints at {{mailbox_provider}}: {{value}} of {{volume}} deliveries",
                 "channels": [%s]}""".formatted(channels)))).id();
    }

    /** A transition from pending to firing of the rule's Yahoo instance, as the evaluator writes it. */
    private long fire(UUID rule) {
        return fire(rule, "yahoo", FIRED);
    }

    /** A transition from pending to firing of the rule's instance at a provider, judged at {@code at}. */
    private long fire(UUID rule, String provider, Instant at) {
        return db.resultQuery("""
                INSERT INTO alert_transitions (rule_id, labels, workspace_id, from_state, to_state, value, volume, at)
                VALUES (?, jsonb_build_object('mailbox_provider', ?::text), ?, 'pending', 'firing', 0.0125, 400, ?::timestamptz)
                RETURNING transition_id""", rule, provider, shop, at.atOffset(ZoneOffset.UTC)).fetchSingle(0, Long.class);
    }

    /** The notifications the transition owes, one per channel of its rule, as the evaluator writes them. */
    private void plant(long transition) {
        db.execute("""
                INSERT INTO alert_notifications (transition_id, workspace_id, channel, next_attempt_at)
                SELECT t.transition_id, t.workspace_id, c.channel - 1, t.at FROM alert_transitions t JOIN alert_rules r USING (rule_id),
                       jsonb_array_elements(r.definition -> 'channels') WITH ORDINALITY AS c(definition, channel)
                WHERE t.transition_id = ?""", transition);
    }

    private List<String> states() {
        return db.fetch("SELECT state FROM alert_notifications WHERE workspace_id = ? ORDER BY notification_id", shop).getValues(0, String.class);
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    /** A receiver at the port (any when 0) that keeps what it receives and answers the test's status. */
    private HttpServer listen(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = answer.get();
            received.add(new Received(exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The test's time, moved by the test. */
    private static final class MovingClock extends Clock {

        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
