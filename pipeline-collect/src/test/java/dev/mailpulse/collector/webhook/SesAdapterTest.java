package dev.mailpulse.collector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.mailpulse.collector.CollectorProperties;
import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.testing.LoopbackSns;
import tools.jackson.databind.node.ObjectNode;

class SesAdapterTest {

    private static final ObjectNode CREDENTIAL = new WebhookCredential.Ses(LoopbackSns.TOPIC).toJson();
    private static LoopbackSns sns;
    private static SesAdapter adapter;

    @BeforeAll
    static void start() throws Exception {
        sns = new LoopbackSns();
        adapter = new SesAdapter(messages(Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        sns.close();
    }

    @ParameterizedTest
    @CsvSource({
            "Send, email.send, 1",
            "Reject, email.reject, 2",
            "Bounce, email.bounce, 1",
            "Complaint, email.complaint, 2",
            "Delivery, email.deliver, 1",
            "Open, email.open, 2",
            "Click, email.click, 1",
            "DeliveryDelay, email.defer, 2",
            "RenderingFailure, email.reject, 1",
            "Subscription, email.unsubscribe, 2"})
    void everyDocumentedEventSignedEitherWayBecomesTheRightCanonicalEvents(String fixture, String type, String signatureVersion) throws Exception {
        WebhookRequest call = call(sns.notification(new String(WebhookFixtures.bytes("ses/" + fixture + ".json"), StandardCharsets.UTF_8), signatureVersion));
        assertThat(adapter.verify(call, CREDENTIAL)).isEmpty();
        List<ObjectNode> events = WebhookFixtures.validEvents(adapter.read(call, WebhookFixtures.WORKSPACE.id()), EventSource.SES);
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.get("type").asString()).isEqualTo(type);
            assertThat(event.get("message_id").asString()).isNotBlank();
        });
    }

    @Test
    void aSubscriptionConfirmationIsConfirmedAtItsSubscribeUrl() throws Exception {
        WebhookRequest call = call(sns.subscriptionConfirmation());
        assertThat(adapter.verify(call, CREDENTIAL)).isEmpty();
        assertThat(adapter.read(call, WebhookFixtures.WORKSPACE.id())).isInstanceOf(WebhookOutcome.Handled.class);
        assertThat(sns.confirmations()).singleElement().asString().contains("Action=ConfirmSubscription");
    }

    @Test
    void refusesForgedForeignAndUnsignedMessages() throws Exception {
        ObjectNode message = sns.notification(new String(WebhookFixtures.bytes("ses/Delivery.json"), StandardCharsets.UTF_8), "2");

        ObjectNode tampered = message.deepCopy();
        tampered.put("Message", tampered.get("Message").asString().replace("recipient@example.com", "someone@example.com"));
        assertThat(adapter.verify(call(tampered), CREDENTIAL)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).contains("does not match");
        });

        ObjectNode otherTopic = message.deepCopy();
        otherTopic.put("TopicArn", "arn:aws:sns:us-east-1:999999999999:someone-elses");
        assertThat(adapter.verify(call(otherTopic), CREDENTIAL)).get().satisfies(e -> assertThat(e.status()).isEqualTo(403));

        ObjectNode foreignCertificate = message.deepCopy();
        foreignCertificate.put("SigningCertURL", "https://attacker.example.com/SimpleNotificationService-x.pem");
        assertThat(adapter.verify(call(foreignCertificate), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.reason()).contains("not a certificate of Amazon SNS"));

        ObjectNode oldVersion = message.deepCopy();
        oldVersion.put("SignatureVersion", "3");
        assertThat(adapter.verify(call(oldVersion), CREDENTIAL)).get().satisfies(e -> assertThat(e.reason()).contains("SignatureVersion"));

        ObjectNode unsigned = message.deepCopy();
        unsigned.remove("Signature");
        assertThat(adapter.verify(call(unsigned), CREDENTIAL)).isPresent();
    }

    @Test
    void aRedeliveredNotificationGivesTheSameEventIds() throws Exception {
        WebhookRequest call = call(sns.notification(new String(WebhookFixtures.bytes("ses/Bounce.json"), StandardCharsets.UTF_8), "1"));
        String first = ((WebhookOutcome.Events) adapter.read(call, WebhookFixtures.WORKSPACE.id())).events().get(0).event().get("event_id").asString();
        String again = ((WebhookOutcome.Events) adapter.read(call, WebhookFixtures.WORKSPACE.id())).events().get(0).event().get("event_id").asString();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void fieldsOfAnotherTypeAreRefusedWithAReasonNeverThrown() throws Exception {
        for (String field : List.of("Type", "TopicArn", "SignatureVersion", "SigningCertURL", "Signature", "MessageId", "Timestamp")) {
            ObjectNode message = sns.notification(new String(WebhookFixtures.bytes("ses/Delivery.json"), StandardCharsets.UTF_8), "2");
            message.putObject(field).putArray("x").add(1);
            assertThat(adapter.verify(call(message), CREDENTIAL)).as(field).isPresent();
        }
        ObjectNode messageOfAnotherType = sns.notification(new String(WebhookFixtures.bytes("ses/Delivery.json"), StandardCharsets.UTF_8), "2");
        messageOfAnotherType.putArray("Message").add("{}");
        assertThat(adapter.read(call(messageOfAnotherType), WebhookFixtures.WORKSPACE.id())).isInstanceOf(WebhookOutcome.Unreadable.class);

        // A signed message whose SES event cannot be mapped (a date no calendar has) costs only itself: a rejection, no 5xx.
        String sesEvent = new String(WebhookFixtures.bytes("ses/Delivery.json"), StandardCharsets.UTF_8)
                .replaceAll("\"timestamp\"\\s*:\\s*\"[^\"]*\"", "\"timestamp\": {\"not\": \"a date\"}");
        WebhookRequest unmappable = call(sns.notification(sesEvent, "2"));
        assertThat(adapter.verify(unmappable, CREDENTIAL)).isEmpty();
        assertThat(WebhookFixtures.unmapped(adapter.read(unmappable, WebhookFixtures.WORKSPACE.id()))).singleElement()
                .satisfies(failure -> assertThat(failure.index()).isZero());
    }

    @Test
    void aSignedMessageReplayedOutsideTheWindowIsRefusedBeforeItsSignatureIsChecked() throws Exception {
        ObjectNode message = sns.notification(new String(WebhookFixtures.bytes("ses/Delivery.json"), StandardCharsets.UTF_8), "2");
        SesAdapter twoHoursLater = new SesAdapter(messages(Clock.offset(Clock.systemUTC(), Duration.ofHours(2))));
        assertThat(twoHoursLater.verify(call(message), CREDENTIAL)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).contains("replay window");
        });
        assertThat(adapter.verify(call(message), CREDENTIAL)).isEmpty();
    }

    @Test
    void certificatesComeOnlyFromAmazonSnsHosts() {
        CollectorProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of("mailpulse.collector.recipient-hash-secret",
                "a-test-secret-of-32-bytes-length"))).bind("mailpulse.collector", CollectorProperties.class).get();
        Pattern hosts = Pattern.compile(defaults.snsUrlPattern());
        assertThat(List.of("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
                "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-2.pem",
                "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-3.pem",
                "https://sns.ap-southeast-2.amazonaws.com/x.pem")).allMatch(url -> hosts.matcher(url).find());
        assertThat(List.of("https://sns.s3.amazonaws.com/evil.pem", "https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
                "http://sns.us-east-1.amazonaws.com/x.pem", "https://evil.example/https://sns.us-east-1.amazonaws.com/x.pem",
                "https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/x.pem")).noneMatch(url -> hosts.matcher(url).find());
    }

    @Test
    void onlyACertificateIssuedToAmazonSnsThatChainsToATrustedRootIsTrusted() throws Exception {
        ObjectNode message = sns.notification(new String(WebhookFixtures.bytes("ses/Delivery.json"), StandardCharsets.UTF_8), "2");
        SesAdapter fresh = new SesAdapter(messages(Clock.systemUTC()));
        int fetchesBefore = sns.intermediateFetches();
        assertThat(fresh.verify(call(message), CREDENTIAL)).isEmpty();
        assertThat(sns.intermediateFetches()).as("the intermediate comes from the certificate's Authority Information Access")
                .isEqualTo(fetchesBefore + 1);

        // The same key in a self-signed certificate: the signature matches, the chain does not.
        ObjectNode selfSigned = message.deepCopy().put("SigningCertURL", sns.base() + LoopbackSns.SELF_SIGNED);
        assertThat(fresh.verify(call(selfSigned), CREDENTIAL)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).contains("does not chain to a trusted root");
        });
        ObjectNode otherSubject = message.deepCopy().put("SigningCertURL", sns.base() + LoopbackSns.OTHER_SUBJECT);
        assertThat(fresh.verify(call(otherSubject), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.reason()).contains("not issued to Amazon SNS").contains("sns.attacker.example"));

        // The JDK's trust store does not hold the test root: the genuine test chain is refused by a collector that trusts only it.
        SesAdapter trustingTheJdk = new SesAdapter(new SnsMessages(Pattern.compile(sns.urlPattern()), HttpClient.newHttpClient(),
                certificates(SnsCertificates.jdkTrustAnchors(), Clock.systemUTC()), Duration.ofHours(1), Clock.systemUTC()));
        assertThat(trustingTheJdk.verify(call(message), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.reason()).contains("does not chain to a trusted root"));
    }

    private static SnsMessages messages(Clock clock) {
        return new SnsMessages(Pattern.compile(sns.urlPattern()), HttpClient.newHttpClient(), certificates(sns.trustAnchors(), clock),
                Duration.ofHours(1), clock);
    }

    private static SnsCertificates certificates(Set<TrustAnchor> anchors, Clock clock) {
        return new SnsCertificates(Pattern.compile("^sns(\\.[a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?$"), anchors, HttpClient.newHttpClient(),
                new TtlCache<>(Duration.ofHours(1), 10, System::nanoTime), clock);
    }

    private static WebhookRequest call(ObjectNode message) {
        return new WebhookRequest(Map.of("x-amz-sns-message-type", message.get("Type").toString()),
                message.toString().getBytes(StandardCharsets.UTF_8));
    }
}
