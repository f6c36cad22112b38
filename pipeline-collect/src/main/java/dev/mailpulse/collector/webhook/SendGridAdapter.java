package dev.mailpulse.collector.webhook;

import static dev.mailpulse.collector.webhook.CanonicalEvents.diagnostic;
import static dev.mailpulse.collector.webhook.CanonicalEvents.putText;
import static dev.mailpulse.collector.webhook.CanonicalEvents.text;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.mailpulse.collector.ingest.ItemFailure;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.collector.ingest.Answer;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SendGrid's Event Webhook: a JSON array of events, signed with ECDSA P-256 over the timestamp header and the raw
 * body (the Signed Event Webhook), checked with the verification key SendGrid shows for the account.
 */
public final class SendGridAdapter implements ProviderAdapter {

    static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    private static final JsonMapper JSON = WireJson.MAPPER;

    private final Duration maxAge;
    private final Clock clock;

    /** @param maxAge how far the signed timestamp may be from now: a signed call replayed later is refused */
    public SendGridAdapter(Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public EventSource source() {
        return EventSource.SENDGRID;
    }

    @Override
    public Optional<Answer.Refused> verify(WebhookRequest request, ObjectNode credential) {
        String signature = request.header(SIGNATURE_HEADER);
        String timestamp = request.header(TIMESTAMP_HEADER);
        if (signature == null || timestamp == null) {
            return Optional.of(Answer.Refused.of(401, "the request is not signed (enable SendGrid's Signed Event Webhook)", SIGNATURE_HEADER));
        }
        Optional<Answer.Refused> stale = ReplayWindow.check(timestamp, maxAge, clock, TIMESTAMP_HEADER);
        if (stale.isPresent()) {
            return stale; // before the signature: a replay costs no ECDSA
        }
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(credential.get("public_key").asString())));
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(request.body());
            if (verifier.verify(Base64.getDecoder().decode(signature.strip()))) {
                return Optional.empty();
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a malformed signature proves nothing
        }
        return Optional.of(Answer.Refused.of(401, "the signature does not match the body and timestamp", SIGNATURE_HEADER));
    }

    @Override
    public WebhookOutcome read(WebhookRequest request, UUID workspaceId) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (JacksonException e) {
            return new WebhookOutcome.Unreadable(400, "the body is not valid JSON: " + e.getOriginalMessage(), "body");
        }
        if (!body.isArray()) {
            return new WebhookOutcome.Unreadable(400, "SendGrid posts a JSON array of events", "body");
        }
        List<Ingestion.Item> events = new ArrayList<>();
        List<ItemFailure> unmapped = new ArrayList<>();
        for (int index = 0; index < body.size(); index++) {
            try {
                events.add(new Ingestion.Item(index, map(body.get(index), workspaceId)));
            } catch (RuntimeException e) { // whatever an item holds, it costs only itself
                unmapped.add(WebhookOutcome.unmapped(index, e, body.get(index)));
            }
        }
        return new WebhookOutcome.Events(events, unmapped);
    }

    private ObjectNode map(JsonNode item, UUID workspaceId) {
        if (!item.isObject()) {
            throw new IllegalArgumentException("an event must be a JSON object");
        }
        String kind = text(item.get("event"));
        EventType type = typeOf(kind, item);
        String providerId = Optional.ofNullable(text(item.get("sg_event_id"))).orElseGet(() -> CanonicalEvents.fingerprint(item.toString()));
        ObjectNode event = CanonicalEvents.event(type, source(), workspaceId, providerId,
                CanonicalEvents.epochSeconds(item.get("timestamp")), item);
        String email = text(item.get("email"));
        if (email == null) {
            throw new IllegalArgumentException("the " + kind + " event names no recipient (email)");
        }
        event.put("recipient", email);
        putText(event, "message_id", messageId(item));
        putText(event, "campaign_id", Optional.ofNullable(item.get("campaign_id")).orElse(item.get("marketing_campaign_id")));
        putText(event, "user_agent", item.get("useragent"));
        CanonicalEvents.putIp(event, item.get("ip"));
        ObjectNode attributes = event.putObject("attributes");
        String response = text(item.get("response"));
        switch (type) {
            case EMAIL_DELIVER -> putCode(attributes, response, 200, 299);
            case EMAIL_DEFER -> {
                putCode(attributes, response, 400, 499);
                attributes.put("diagnostic", diagnostic(response));
                String attempt = text(item.get("attempt"));
                if (attempt != null && attempt.matches("\\d{1,6}") && Integer.parseInt(attempt) > 0) {
                    attributes.put("attempt", Integer.parseInt(attempt));
                }
            }
            case EMAIL_BOUNCE -> {
                String reason = text(item.get("reason"));
                attributes.put("bounce_kind", "blocked".equals(text(item.get("type"))) ? "block" : "hard");
                putCode(attributes, reason, 400, 599);
                String status = text(item.get("status"));
                if (status != null && status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
                    attributes.put("enhanced_status", status);
                }
                if (reason != null) {
                    attributes.put("diagnostic", diagnostic(reason));
                }
            }
            case EMAIL_REJECT -> {
                String reason = text(item.get("reason"));
                attributes.put("reason", rejectReason(reason));
                if (reason != null) {
                    attributes.put("diagnostic", diagnostic(reason));
                }
            }
            case EMAIL_OPEN -> {
                JsonNode machine = item.get("sg_machine_open");
                if (machine != null && (machine.isBoolean() || machine.isString())) {
                    attributes.put("machine_open", machine.asBoolean());
                }
            }
            case EMAIL_CLICK -> {
                String url = text(item.get("url"));
                if (url == null) {
                    throw new IllegalArgumentException("the click event has no url");
                }
                event.put("link_url", url);
                JsonNode index = item.path("url_offset").get("index");
                if (index != null && index.canConvertToInt() && index.asInt() >= 0) {
                    attributes.put("link_index", index.asInt());
                }
            }
            case EMAIL_COMPLAINT -> attributes.put("feedback_type", "abuse");
            case EMAIL_UNSUBSCRIBE, EMAIL_RESUBSCRIBE -> {
                boolean group = kind.startsWith("group_");
                attributes.put("scope", group ? "group" : "all");
                if (group) {
                    putText(attributes, "group_id", item.get("asm_group_id"));
                }
                if (type == EventType.EMAIL_UNSUBSCRIBE) {
                    attributes.put("method", "link");
                }
            }
            default -> {
            }
        }
        return event;
    }

    private static EventType typeOf(String kind, JsonNode item) {
        if (kind == null) {
            throw new IllegalArgumentException("the event has no 'event' field");
        }
        return switch (kind) {
            case "processed" -> EventType.EMAIL_SEND;
            case "dropped" -> EventType.EMAIL_REJECT;
            case "delivered" -> EventType.EMAIL_DELIVER;
            case "deferred" -> EventType.EMAIL_DEFER;
            case "bounce" -> EventType.EMAIL_BOUNCE;
            case "open" -> EventType.EMAIL_OPEN;
            case "click" -> EventType.EMAIL_CLICK;
            case "spamreport" -> EventType.EMAIL_COMPLAINT;
            case "unsubscribe", "group_unsubscribe" -> EventType.EMAIL_UNSUBSCRIBE;
            case "group_resubscribe" -> EventType.EMAIL_RESUBSCRIBE;
            default -> throw new IllegalArgumentException("SendGrid event '" + kind + "' has no canonical type");
        };
    }

    /** SendGrid's message id is the X-Message-Id of the send plus a per-recipient suffix after ".filter". */
    private static JsonNode messageId(JsonNode item) {
        String id = text(item.get("sg_message_id"));
        if (id == null) {
            String smtpId = text(item.get("smtp-id"));
            return smtpId == null ? null : JsonNodeFactory.instance.stringNode(smtpId);
        }
        int filter = id.indexOf(".filter");
        return JsonNodeFactory.instance.stringNode(filter > 0 ? id.substring(0, filter) : id);
    }

    private static String rejectReason(String reason) {
        String lower = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (lower.contains("bounced") || lower.contains("unsubscribed") || lower.contains("spam reporting") || lower.contains("suppress")) {
            return "suppressed";
        }
        if (lower.contains("invalid")) {
            return "invalid_address";
        }
        return "other";
    }

    private static void putCode(ObjectNode attributes, String reply, int min, int max) {
        Integer code = CanonicalEvents.smtpCode(reply);
        if (code != null && code >= min && code <= max) {
            attributes.put("smtp_code", code);
        }
        String enhanced = CanonicalEvents.enhancedStatus(reply);
        if (enhanced != null && !attributes.has("enhanced_status") && max >= 400) {
            attributes.put("enhanced_status", enhanced);
        }
    }
}
