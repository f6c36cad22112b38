package dev.mailpulse.collector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.WebhookCredential;
import tools.jackson.databind.node.ObjectNode;

public class SendGridAdapterTest {

    /** Just after the signed timestamp of the tests' calls. */
    private static final Clock SIGNED_A_MINUTE_AGO = Clock.fixed(Instant.ofEpochSecond(1_700_000_060L), ZoneOffset.UTC);
    private final SendGridAdapter adapter = new SendGridAdapter(Duration.ofMinutes(10), SIGNED_A_MINUTE_AGO);

    @Test
    void everyDocumentedEventBecomesTheRightCanonicalEvent() {
        byte[] body = WebhookFixtures.bytes("sendgrid/events.json");
        List<ObjectNode> events = WebhookFixtures.validEvents(adapter.read(new WebhookRequest(Map.of(), body), WebhookFixtures.WORKSPACE.id()), EventSource.SENDGRID);
        assertThat(WebhookFixtures.unmapped(adapter.read(new WebhookRequest(Map.of(), body), WebhookFixtures.WORKSPACE.id()))).isEmpty();
        assertThat(events).extracting(e -> e.get("type").asString()).containsExactly(
                "email.send", "email.defer", "email.deliver", "email.open", "email.click", "email.bounce", "email.bounce",
                "email.reject", "email.complaint", "email.unsubscribe", "email.unsubscribe", "email.resubscribe");
        assertThat(events.get(1).get("attributes").get("attempt").asInt()).isEqualTo(5);
        assertThat(events.get(3).get("attributes").has("machine_open")).isTrue();
        assertThat(events.get(4).get("link_url").asString()).startsWith("http");
        assertThat(events.get(5).get("attributes").get("bounce_kind").asString()).isEqualTo("hard");
        assertThat(events.get(6).get("attributes").get("bounce_kind").asString()).isEqualTo("block");
        assertThat(events.get(10).get("attributes").get("scope").asString()).isEqualTo("group");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("source").asString()).isEqualTo("sendgrid");
            assertThat(e.get("provider_payload").isObject()).isTrue();
            assertThat(e.get("message_id").asString()).doesNotContain(".filter");
        });
    }

    @Test
    void aRedeliveredBatchGivesTheSameEventIds() {
        byte[] body = WebhookFixtures.bytes("sendgrid/events.json");
        List<String> first = ids(body);
        assertThat(ids(body)).isEqualTo(first).doesNotHaveDuplicates();
    }

    @Test
    void anEventItCannotMapIsReportedAndTheOthersGoOn() {
        byte[] body = "[{\"event\":\"delivered\",\"email\":\"a@example.com\",\"timestamp\":1513299569,\"sg_event_id\":\"x1\",\"sg_message_id\":\"m1.filter0001.1\"},{\"event\":\"account_status_change\",\"timestamp\":1513299569},{\"event\":\"open\",\"timestamp\":1513299569}]"
                .getBytes(StandardCharsets.UTF_8);
        WebhookOutcome outcome = adapter.read(new WebhookRequest(Map.of(), body), WebhookFixtures.WORKSPACE.id());
        assertThat(WebhookFixtures.validEvents(outcome, EventSource.SENDGRID)).hasSize(1);
        assertThat(WebhookFixtures.unmapped(outcome)).extracting(r -> r.index()).containsExactly(1, 2);
        assertThat(WebhookFixtures.unmapped(outcome).get(0).message()).contains("account_status_change");
        assertThat(adapter.read(new WebhookRequest(Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), WebhookFixtures.WORKSPACE.id()))
                .isInstanceOf(WebhookOutcome.Unreadable.class);
    }

    @Test
    void onlyACallSignedWithTheWorkspacesKeyIsAuthentic() throws Exception {
        KeyPair keys = keys();
        ObjectNode credential = new WebhookCredential.SendGrid(Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())).toJson();
        byte[] body = WebhookFixtures.bytes("sendgrid/events.json");
        String timestamp = "1700000000";

        assertThat(adapter.verify(signed(keys, timestamp, body), credential)).isEmpty();

        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length / 2] ^= 1;
        WebhookRequest forged = new WebhookRequest(signed(keys, timestamp, body).headers(), tampered);
        assertThat(adapter.verify(forged, credential)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).contains("does not match");
        });
        WebhookRequest otherTime = new WebhookRequest(Map.of(
                "x-twilio-email-event-webhook-signature", signed(keys, timestamp, body).header(SendGridAdapter.SIGNATURE_HEADER),
                "x-twilio-email-event-webhook-timestamp", "1700000001"), body);
        assertThat(adapter.verify(otherTime, credential)).isPresent();
        assertThat(adapter.verify(signed(keys(), timestamp, body), credential)).isPresent();
        assertThat(adapter.verify(new WebhookRequest(Map.of(), body), credential)).get()
                .satisfies(e -> assertThat(e.reason()).contains("not signed"));
    }

    @Test
    void aSignedCallReplayedOutsideTheWindowIsRefusedWithTheReason() throws Exception {
        KeyPair keys = keys();
        ObjectNode credential = new WebhookCredential.SendGrid(Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())).toJson();
        byte[] body = WebhookFixtures.bytes("sendgrid/events.json");
        for (String stale : new String[] {"1699999400", "1700000700", "not a time"}) { // 11 minutes before, 10m40s after
            assertThat(adapter.verify(signed(keys, stale, body), credential)).as(stale).get().satisfies(e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.where()).isEqualTo(SendGridAdapter.TIMESTAMP_HEADER);
            });
        }
        assertThat(adapter.verify(signed(keys, "1699999000", body), credential).get().reason()).contains("replay window");
    }

    public static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** Signs as SendGrid does: ECDSA (DER, base64) over the timestamp header followed by the raw body. */
    public static WebhookRequest signed(KeyPair keys, String timestamp, byte[] body) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return new WebhookRequest(Map.of(
                "x-twilio-email-event-webhook-signature", Base64.getEncoder().encodeToString(signer.sign()),
                "x-twilio-email-event-webhook-timestamp", timestamp), body);
    }

    private List<String> ids(byte[] body) {
        return ((WebhookOutcome.Events) adapter.read(new WebhookRequest(Map.of(), body), WebhookFixtures.WORKSPACE.id()))
                .events().stream().map(i -> i.event().get("event_id").asString()).toList();
    }
}
