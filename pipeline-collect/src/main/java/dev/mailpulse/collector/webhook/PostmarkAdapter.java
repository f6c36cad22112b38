package dev.mailpulse.collector.webhook;

import static dev.mailpulse.collector.webhook.CanonicalEvents.diagnostic;
import static dev.mailpulse.collector.webhook.CanonicalEvents.putText;
import static dev.mailpulse.collector.webhook.CanonicalEvents.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.collector.ingest.Answer;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.storage.workspace.ApiKeys;
import dev.mailpulse.storage.workspace.Passwords;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Postmark's webhooks: one record a call ({@code RecordType} Delivery, Bounce, SpamComplaint, Open, Click,
 * SubscriptionChange, or the older bounce shape without a RecordType), authenticated by HTTP Basic credentials set
 * in the webhook's URL. The password is stored as a slow hash, so a verified header is remembered for a short time.
 */
public final class PostmarkAdapter implements ProviderAdapter {

    private static final JsonMapper JSON = WireJson.MAPPER;
    private static final Set<String> HARD = Set.of("HardBounce", "BadEmailAddress", "Unknown", "InboundError", "SMTPApiError");
    private static final Set<String> BLOCK = Set.of("Blocked", "SpamNotification", "ChallengeVerification", "ManuallyDeactivated",
            "DMARCPolicy", "TemplateRenderingFailed", "ContentRelay");
    private static final Set<String> DEFER = Set.of("Transient", "DnsError");

    private final TtlCache<String, Boolean> verified;

    public PostmarkAdapter(TtlCache<String, Boolean> verified) {
        this.verified = verified;
    }

    @Override
    public EventSource source() {
        return EventSource.POSTMARK;
    }

    @Override
    public Optional<Answer.Refused> verify(WebhookRequest request, ObjectNode credential) {
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.of(Answer.Refused.of(401, "Postmark webhooks must carry the Basic credentials set for them", "Authorization"));
        }
        String storedHash = credential.get("password_hash").asString();
        String remembered = ApiKeys.hash(authorization + "\u0000" + storedHash);
        if (verified.getIfPresent(remembered) != null) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.of(Answer.Refused.of(401, "the Basic credentials are not base64", "Authorization"));
        }
        int colon = decoded.indexOf(':');
        // A wrong user costs what a wrong password does: both are always checked, the user in constant time, so the
        // time of the answer does not tell which was wrong.
        boolean userMatches = colon >= 0 && MessageDigest.isEqual(decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8),
                credential.get("user").asString().getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = Passwords.matches(colon < 0 ? "" : decoded.substring(colon + 1), storedHash);
        if (!(userMatches & passwordMatches)) {
            return Optional.of(Answer.Refused.of(401, "wrong user or password for this workspace's Postmark webhook", "Authorization"));
        }
        verified.put(remembered, Boolean.TRUE);
        return Optional.empty();
    }

    @Override
    public WebhookOutcome read(WebhookRequest request, UUID workspaceId) {
        JsonNode record;
        try {
            record = JSON.readTree(request.body());
        } catch (JacksonException e) {
            return new WebhookOutcome.Unreadable(400, "the body is not valid JSON: " + e.getOriginalMessage(), "body");
        }
        if (!record.isObject()) {
            return new WebhookOutcome.Unreadable(400, "Postmark posts one JSON object a call", "body");
        }
        try {
            return new WebhookOutcome.Events(List.of(new Ingestion.Item(0, map(record, workspaceId))), List.of());
        } catch (RuntimeException e) { // whatever the payload holds, it costs only itself
            return new WebhookOutcome.Events(List.of(), List.of(WebhookOutcome.unmapped(0, e, record)));
        }
    }

    private ObjectNode map(JsonNode record, UUID workspaceId) {
        // The older bounce webhook has no RecordType; its BouncedAt and TypeCode say what it is.
        String recordType = Optional.ofNullable(text(record.get("RecordType")))
                .orElse(record.has("BouncedAt") && record.has("TypeCode") ? "Bounce" : null);
        if (recordType == null) {
            throw new IllegalArgumentException("the record has no RecordType");
        }
        String messageId = text(record.get("MessageID"));
        return switch (recordType) {
            case "Delivery" -> {
                ObjectNode event = base(EventType.EMAIL_DELIVER, record, workspaceId, "Delivery:" + messageId + ":" + text(record.get("Recipient")),
                        record.get("DeliveredAt"), record.get("Recipient"));
                Integer code = CanonicalEvents.smtpCode(text(record.get("Details")));
                if (code != null && code >= 200 && code <= 299) {
                    ((ObjectNode) event.get("attributes")).put("smtp_code", code);
                }
                yield event;
            }
            case "Bounce", "SpamComplaint" -> bounce(record, workspaceId);
            case "Open" -> {
                ObjectNode event = base(EventType.EMAIL_OPEN, record, workspaceId,
                        "Open:" + messageId + ":" + text(record.get("Recipient")) + ":" + text(record.get("ReceivedAt")),
                        record.get("ReceivedAt"), record.get("Recipient"));
                putText(event, "user_agent", record.get("UserAgent"));
                CanonicalEvents.putIp(event, record.path("Geo").get("IP"));
                yield event;
            }
            case "Click" -> {
                String link = text(record.get("OriginalLink"));
                if (link == null) {
                    throw new IllegalArgumentException("the Click record has no OriginalLink");
                }
                ObjectNode event = base(EventType.EMAIL_CLICK, record, workspaceId,
                        "Click:" + messageId + ":" + text(record.get("Recipient")) + ":" + text(record.get("ReceivedAt")) + ":" + link,
                        record.get("ReceivedAt"), record.get("Recipient"));
                event.put("link_url", link);
                putText(event, "user_agent", record.get("UserAgent"));
                CanonicalEvents.putIp(event, record.path("Geo").get("IP"));
                yield event;
            }
            case "SubscriptionChange" -> subscriptionChange(record, workspaceId);
            default -> throw new IllegalArgumentException("Postmark RecordType '" + recordType + "' has no canonical type");
        };
    }

    private ObjectNode bounce(JsonNode record, UUID workspaceId) {
        String kind = Optional.ofNullable(text(record.get("Type"))).orElse("Unknown");
        String details = Optional.ofNullable(text(record.get("Details"))).orElse(text(record.get("Description")));
        EventType type = switch (kind) {
            case "SpamComplaint" -> EventType.EMAIL_COMPLAINT;
            case "AutoResponder" -> EventType.EMAIL_REPLY;
            case "Unsubscribe" -> EventType.EMAIL_UNSUBSCRIBE;
            case "Subscribe" -> EventType.EMAIL_RESUBSCRIBE;
            case "VirusNotification" -> EventType.EMAIL_REJECT;
            default -> DEFER.contains(kind) ? EventType.EMAIL_DEFER : EventType.EMAIL_BOUNCE;
        };
        String id = Optional.ofNullable(text(record.get("ID"))).orElseGet(() -> CanonicalEvents.fingerprint(record.toString()));
        ObjectNode event = base(type, record, workspaceId, "Bounce:" + id, record.get("BouncedAt"), record.get("Email"));
        ObjectNode attributes = ((ObjectNode) event.get("attributes"));
        switch (type) {
            case EMAIL_BOUNCE -> {
                attributes.put("bounce_kind", HARD.contains(kind) ? "hard" : BLOCK.contains(kind) ? "block" : "soft");
                putDiagnostics(attributes, details, 400, 599);
            }
            case EMAIL_DEFER -> putDiagnostics(attributes, details, 400, 499);
            case EMAIL_COMPLAINT -> attributes.put("feedback_type", "abuse");
            case EMAIL_REPLY -> attributes.put("auto_reply", true);
            case EMAIL_UNSUBSCRIBE -> {
                attributes.put("scope", "all");
                attributes.put("method", "list_unsubscribe_mailto");
            }
            case EMAIL_RESUBSCRIBE -> attributes.put("scope", "all");
            case EMAIL_REJECT -> {
                attributes.put("reason", "content");
                if (details != null) {
                    attributes.put("diagnostic", diagnostic(details));
                }
            }
            default -> {
            }
        }
        return event;
    }

    private ObjectNode subscriptionChange(JsonNode record, UUID workspaceId) {
        boolean suppressed = record.path("SuppressSending").asBoolean(false);
        String reason = text(record.get("SuppressionReason"));
        ObjectNode event = base(suppressed ? EventType.EMAIL_UNSUBSCRIBE : EventType.EMAIL_RESUBSCRIBE, record, workspaceId,
                "SubscriptionChange:" + text(record.get("MessageID")) + ":" + text(record.get("Recipient")) + ":" + text(record.get("ChangedAt")),
                record.get("ChangedAt"), record.get("Recipient"));
        ObjectNode attributes = (ObjectNode) event.get("attributes");
        attributes.put("scope", "all");
        if (suppressed) {
            // ManualSuppression is the recipient's own unsubscribe; HardBounce or SpamComplaint is Postmark's doing.
            attributes.put("method", reason == null || "ManualSuppression".equals(reason) ? "link" : "provider_suppression");
            if (reason != null) {
                attributes.putObject("custom").put("suppression_reason", reason);
            }
        }
        return event;
    }

    private ObjectNode base(EventType type, JsonNode record, UUID workspaceId, String providerId, JsonNode occurredAt, JsonNode recipient) {
        String address = text(recipient);
        if (address == null) {
            throw new IllegalArgumentException("the record names no recipient");
        }
        ObjectNode event = CanonicalEvents.event(type, source(), workspaceId, providerId, CanonicalEvents.timestamp(occurredAt), record);
        event.put("recipient", address);
        putText(event, "message_id", record.get("MessageID"));
        putText(event, "campaign_id", Optional.ofNullable(record.path("Metadata").get("campaign_id")).orElse(record.get("Tag")));
        event.putObject("attributes");
        return event;
    }

    private static void putDiagnostics(ObjectNode attributes, String details, int min, int max) {
        Integer code = CanonicalEvents.smtpCode(details);
        if (code != null && code >= min && code <= max) {
            attributes.put("smtp_code", code);
        }
        String enhanced = CanonicalEvents.enhancedStatus(details);
        if (enhanced != null) {
            attributes.put("enhanced_status", enhanced);
        }
        if (details != null) {
            attributes.put("diagnostic", diagnostic(details));
        }
    }
}
