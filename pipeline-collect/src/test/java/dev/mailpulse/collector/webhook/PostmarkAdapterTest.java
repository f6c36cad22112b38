package dev.mailpulse.collector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.WebhookCredential;
import tools.jackson.databind.node.ObjectNode;

class PostmarkAdapterTest {

    private static final ObjectNode CREDENTIAL = WebhookCredential.Postmark.of("postmark-hooks", "correct horse battery staple").toJson();

    private final PostmarkAdapter adapter = new PostmarkAdapter(new TtlCache<>(Duration.ofSeconds(30), 100, System::nanoTime));

    @ParameterizedTest
    @CsvSource({
            "Delivery, email.deliver",
            "Bounce, email.bounce",
            "LegacyBounce, email.bounce",
            "SpamComplaint, email.complaint",
            "Open, email.open",
            "Click, email.click",
            "SubscriptionChange, email.unsubscribe"})
    void everyDocumentedRecordBecomesTheRightCanonicalEvent(String fixture, String type) {
        WebhookRequest call = call(fixture, "postmark-hooks", "correct horse battery staple");
        assertThat(adapter.verify(call, CREDENTIAL)).isEmpty();
        List<ObjectNode> events = WebhookFixtures.validEvents(adapter.read(call, WebhookFixtures.WORKSPACE.id()), EventSource.POSTMARK);
        assertThat(events).singleElement().satisfies(event -> assertThat(event.get("type").asString()).isEqualTo(type));
    }

    @Test
    void bothBounceShapesAreHardBouncesKeyedByPostmarksBounceId() {
        ObjectNode current = WebhookFixtures.validEvents(adapter.read(call("Bounce", "u", "p"), WebhookFixtures.WORKSPACE.id()), EventSource.POSTMARK).get(0);
        ObjectNode legacy = WebhookFixtures.validEvents(adapter.read(call("LegacyBounce", "u", "p"), WebhookFixtures.WORKSPACE.id()), EventSource.POSTMARK).get(0);
        assertThat(current.get("attributes").get("bounce_kind").asString()).isEqualTo("hard");
        assertThat(legacy.get("attributes").get("bounce_kind").asString()).isEqualTo("hard");
        assertThat(current.get("provider_event_id").asString()).isEqualTo("Bounce:4323372036854775807"); // beyond a double's precision
        assertThat(legacy.get("provider_event_id").asString()).isEqualTo("Bounce:42");
        assertThat(legacy.get("occurred_at").asString()).isEqualTo("2014-08-01T17:28:10.273539300Z");
    }

    @Test
    void aSuppressionByPostmarkIsToldApartFromTheRecipientsOwnUnsubscribe() {
        ObjectNode event = WebhookFixtures.validEvents(adapter.read(call("SubscriptionChange", "u", "p"), WebhookFixtures.WORKSPACE.id()),
                EventSource.POSTMARK).get(0);
        assertThat(event.get("attributes").get("method").asString()).isEqualTo("provider_suppression");
    }

    @Test
    void refusesMissingAndWrongCredentials() {
        assertThat(adapter.verify(new WebhookRequest(Map.of(), WebhookFixtures.bytes("postmark/Open.json")), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.status()).isEqualTo(401));
        assertThat(adapter.verify(call("Open", "postmark-hooks", "wrong horse battery staple"), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.reason()).contains("wrong user or password"));
        assertThat(adapter.verify(call("Open", "someone-else", "correct horse battery staple"), CREDENTIAL)).isPresent();
        assertThat(adapter.verify(new WebhookRequest(Map.of("authorization", "Basic !!!"), new byte[0]), CREDENTIAL)).isPresent();
    }

    private static WebhookRequest call(String fixture, String user, String password) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new WebhookRequest(Map.of("authorization", "Basic " + basic), WebhookFixtures.bytes("postmark/" + fixture + ".json"));
    }
}
