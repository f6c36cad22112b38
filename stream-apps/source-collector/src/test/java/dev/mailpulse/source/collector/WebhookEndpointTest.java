package dev.mailpulse.source.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.collector.webhook.MailgunAdapterTest;
import dev.mailpulse.collector.webhook.SendGridAdapterTest;
import dev.mailpulse.collector.webhook.WebhookFixtures;
import dev.mailpulse.collector.webhook.WebhookRequest;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.LoopbackSns;
import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The webhook endpoint over HTTP, from a provider's signed call to the events on the stream. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhookEndpointTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private static final TcpProxy BROKER = CollectorTestSupport.brokerProxy();
    private static final LoopbackSns SNS = start();
    private static String destination;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        destination = RABBIT.prefix() + ".collected";
        CollectorTestSupport.register(registry, DB, RABBIT, BROKER, destination);
        registry.add("mailpulse.collector.sns-url-pattern", SNS::urlPattern);
        registry.add("mailpulse.collector.sns-trust-anchors", SNS::trustAnchorsFile);
        registry.add("mailpulse.collector.mailgun-signature-max-age", () -> "3650d"); // the documented payloads are old
    }

    @AfterAll
    static void stop() throws Exception {
        BROKER.close();
        SNS.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    Workspaces workspaces;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSignedSendGridBatchIsTakenOnceEvenWhenSendGridSendsItAgain() throws Exception {
        Workspaces.Created ws = workspaces.create("sendgrid-shop", "UTC", false);
        KeyPair keys = SendGridAdapterTest.keys();
        workspaces.setWebhookCredential("sendgrid-shop", new WebhookCredential.SendGrid(Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())));
        WebhookRequest call = SendGridAdapterTest.signed(keys, Long.toString(Instant.now().getEpochSecond()), WebhookFixtures.bytes("sendgrid/events.json"));

        HttpResponse<String> first = post("/v1/webhooks/sendgrid/" + ws.workspace().id(), call.headers(), call.body());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(WebhookFixtures.JSON.readTree(first.body()).get("accepted").asInt()).isEqualTo(12);
        assertThat(post("/v1/webhooks/sendgrid/sendgrid-shop", call.headers(), call.body()).statusCode()).isEqualTo(200);

        List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, 24, Duration.ofSeconds(5));
        assertThat(published).hasSize(24);
        assertThat(published.stream().map(e -> e.get("event_id").asString()).distinct()).hasSize(12);
        assertThat(published).allSatisfy(e -> {
            assertThat(e.get("workspace_id").asString()).isEqualTo(ws.workspace().id().toString());
            assertThat(e.get("recipient").has("address")).isFalse();
        });
    }

    @Test
    void refusesUnsignedForgedAndMisaddressedCalls() throws Exception {
        Workspaces.Created ws = workspaces.create("guarded", "UTC", false);
        workspaces.setWebhookCredential("guarded", new WebhookCredential.Mailgun("key-0123456789abcdef0123"));
        byte[] mailgun = WebhookFixtures.bytes("mailgun/delivered.json");

        assertRefused(post("/v1/webhooks/mailgun/guarded", Map.of(), mailgun), 401, "signature does not match");
        assertRefused(post("/v1/webhooks/sparkpost/guarded", Map.of(), mailgun), 404, "no webhook for provider");
        assertRefused(post("/v1/webhooks/mailgun/no-such-workspace", Map.of(), mailgun), 401, "no mailgun webhook is configured");
        assertRefused(post("/v1/webhooks/postmark/guarded", Map.of(), WebhookFixtures.bytes("postmark/Open.json")), 401, "no postmark webhook");

        WebhookRequest signed = MailgunAdapterTest.signed("delivered", "key-0123456789abcdef0123");
        assertThat(post("/v1/webhooks/mailgun/guarded", signed.headers(), signed.body()).statusCode()).isEqualTo(200);
        assertRefused(post("/v1/webhooks/mailgun/guarded", signed.headers(), signed.body()), 403, "replayed");
        CollectorTestSupport.drain(RABBIT, destination, 1, Duration.ofSeconds(5));
    }

    @Test
    void sesThroughSnsConfirmsTheSubscriptionThenTakesSignedNotifications() throws Exception {
        workspaces.create("ses-shop", "UTC", false);
        workspaces.setWebhookCredential("ses-shop", new WebhookCredential.Ses(LoopbackSns.TOPIC));

        ObjectNode confirmation = SNS.subscriptionConfirmation();
        HttpResponse<String> confirmed = post("/v1/webhooks/ses/ses-shop", Map.of("x-amz-sns-message-type", "SubscriptionConfirmation"),
                confirmation.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(SNS.confirmations()).isNotEmpty();

        ObjectNode bounce = SNS.notification(new String(WebhookFixtures.bytes("ses/Bounce.json"), StandardCharsets.UTF_8), "2");
        HttpResponse<String> taken = post("/v1/webhooks/ses/ses-shop", Map.of("x-amz-sns-message-type", "Notification"),
                bounce.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        List<JsonNode> published = CollectorTestSupport.drain(RABBIT, destination, 1, Duration.ofSeconds(5));
        assertThat(published).singleElement().satisfies(e -> assertThat(e.get("type").asString()).isEqualTo("email.bounce"));
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-type")) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(WebhookFixtures.JSON.readTree(response.body()).get("reason").asString()).contains(reason);
    }

    private static LoopbackSns start() {
        try {
            return new LoopbackSns();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
