package dev.mailpulse.collector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.WebhookCredential;
import tools.jackson.databind.node.ObjectNode;

public class MailgunAdapterTest {

    private static final String KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private static final ObjectNode CREDENTIAL = new WebhookCredential.Mailgun(KEY).toJson();
    private static final long SIGNED_AT = 1770920772L;

    private final MailgunAdapter adapter = new MailgunAdapter(Duration.ofMinutes(15),
            Clock.fixed(Instant.ofEpochSecond(SIGNED_AT + 60), ZoneOffset.UTC),
            new TtlCache<>(Duration.ofMinutes(15), 1_000, System::nanoTime));

    @ParameterizedTest
    @CsvSource({
            "accepted, email.send",
            "delivered, email.deliver",
            "failed-permanent, email.bounce",
            "failed-temporary, email.defer",
            "opened, email.open",
            "clicked, email.click",
            "unsubscribed, email.unsubscribe",
            "complained, email.complaint"})
    void everyDocumentedEventBecomesTheRightCanonicalEvent(String fixture, String type) {
        WebhookRequest call = signed(fixture, KEY);
        assertThat(adapter.verify(call, CREDENTIAL)).isEmpty();
        List<ObjectNode> events = WebhookFixtures.validEvents(adapter.read(call, WebhookFixtures.WORKSPACE.id()), EventSource.MAILGUN);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.get("type").asString()).isEqualTo(type);
            assertThat(event.get("provider_event_id").asString()).isNotBlank();
            assertThat(event.has("message_id")).isTrue();
        });
    }

    @Test
    void aTemporaryFailureIsADeferralWithItsSmtpDetails() {
        ObjectNode event = WebhookFixtures.validEvents(adapter.read(signed("failed-temporary", KEY), WebhookFixtures.WORKSPACE.id()),
                EventSource.MAILGUN).get(0);
        assertThat(event.get("attributes").get("smtp_code").asInt()).isBetween(400, 499);
        ObjectNode bounce = WebhookFixtures.validEvents(adapter.read(signed("failed-permanent", KEY), WebhookFixtures.WORKSPACE.id()),
                EventSource.MAILGUN).get(0);
        assertThat(bounce.get("attributes").get("bounce_kind").asString()).isEqualTo("hard");
        assertThat(bounce.get("attributes").get("smtp_code").asInt()).isBetween(500, 599);
    }

    @Test
    void refusesTamperedUnsignedOldAndReplayedCalls() {
        assertThat(adapter.verify(signed("delivered", "key-another-key-of-the-same-length"), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.status()).isEqualTo(401));
        assertThat(adapter.verify(new WebhookRequest(Map.of(), "{\"event-data\":{}}".getBytes(StandardCharsets.UTF_8)), CREDENTIAL)).get()
                .satisfies(e -> assertThat(e.reason()).contains("no Mailgun signature"));

        MailgunAdapter later = new MailgunAdapter(Duration.ofMinutes(15), Clock.fixed(Instant.ofEpochSecond(SIGNED_AT + 3600), ZoneOffset.UTC),
                new TtlCache<>(Duration.ofMinutes(15), 1_000, System::nanoTime));
        assertThat(later.verify(signed("delivered", KEY), CREDENTIAL)).get().satisfies(e -> assertThat(e.reason()).contains("older than"));

        WebhookRequest call = signed("opened", KEY);
        assertThat(adapter.verify(call, CREDENTIAL)).isEmpty();
        assertThat(adapter.verify(call, CREDENTIAL)).as("a call that was not taken may be retried").isEmpty();
        adapter.accepted(call);
        assertThat(adapter.verify(call, CREDENTIAL)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).contains("replayed");
        });
    }

    /** The documented payload, with its signature made with {@code key} over its own timestamp and token. */
    public static WebhookRequest signed(String fixture, String key) {
        ObjectNode body = (ObjectNode) WebhookFixtures.json("mailgun/" + fixture + ".json");
        ObjectNode signature = (ObjectNode) body.get("signature");
        signature.put("signature", MailgunAdapter.expected(key, signature.get("timestamp").asString(), signature.get("token").asString()));
        return new WebhookRequest(Map.of("content-type", "application/json"), body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
