package dev.mailpulse.collector.webhook;

import static dev.mailpulse.collector.webhook.CanonicalEvents.diagnostic;
import static dev.mailpulse.collector.webhook.CanonicalEvents.putText;
import static dev.mailpulse.collector.webhook.CanonicalEvents.text;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.collector.ingest.Answer;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mailgun's webhooks: one event a call, {@code {"signature": {...}, "event-data": {...}}}, signed with HMAC-SHA256 of
 * timestamp and token under the domain's HTTP webhook signing key. A signature older (or further in the future) than
 * the allowed age is refused, and so is a token already used by a call that was taken.
 */
public final class MailgunAdapter implements ProviderAdapter {

    private static final JsonMapper JSON = WireJson.MAPPER;

    private final Duration maxAge;
    private final Clock clock;
    private final TtlCache<String, Boolean> usedTokens;

    public MailgunAdapter(Duration maxAge, Clock clock, TtlCache<String, Boolean> usedTokens) {
        this.maxAge = maxAge;
        this.clock = clock;
        this.usedTokens = usedTokens;
    }

    @Override
    public EventSource source() {
        return EventSource.MAILGUN;
    }

    @Override
    public Optional<Answer.Refused> verify(WebhookRequest request, ObjectNode credential) {
        JsonNode signature = body(request).map(b -> b.get("signature")).orElse(null);
        String timestamp = signature == null ? null : text(signature.get("timestamp"));
        String token = signature == null ? null : text(signature.get("token"));
        String given = signature == null ? null : text(signature.get("signature"));
        if (timestamp == null || token == null || given == null) {
            return Optional.of(Answer.Refused.of(401, "the call carries no Mailgun signature (timestamp, token, signature)", "/signature"));
        }
        byte[] expected = expected(credential.get("signing_key").asString(), timestamp, token).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Answer.Refused.of(401, "the signature does not match the timestamp and token", "/signature/signature"));
        }
        Instant signedAt;
        try {
            signedAt = CanonicalEvents.epochSeconds(signature.get("timestamp"));
        } catch (RuntimeException e) {
            return Optional.of(Answer.Refused.of(401, "the signature's timestamp is not a number of seconds", "/signature/timestamp"));
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(maxAge) > 0) {
            return Optional.of(Answer.Refused.of(401, "the signature is older than " + maxAge + " (or from the future)", "/signature/timestamp"));
        }
        if (usedTokens.getIfPresent(token) != null) {
            return Optional.of(Answer.Refused.of(403, "this signature token was already used: a replayed call", "/signature/token"));
        }
        return Optional.empty();
    }

    @Override
    public void accepted(WebhookRequest request) {
        body(request).map(b -> text(b.path("signature").get("token"))).ifPresent(token -> usedTokens.put(token, Boolean.TRUE));
    }

    @Override
    public WebhookOutcome read(WebhookRequest request, UUID workspaceId) {
        Optional<JsonNode> body = body(request);
        JsonNode data = body.map(b -> b.get("event-data")).orElse(null);
        if (data == null || !data.isObject()) {
            return new WebhookOutcome.Unreadable(400, "the call has no event-data object", "/event-data");
        }
        try {
            return new WebhookOutcome.Events(List.of(new Ingestion.Item(0, map(data, workspaceId))), List.of());
        } catch (RuntimeException e) { // whatever the payload holds, it costs only itself
            return new WebhookOutcome.Events(List.of(), List.of(WebhookOutcome.unmapped(0, e, data)));
        }
    }

    private ObjectNode map(JsonNode data, UUID workspaceId) {
        String kind = text(data.get("event"));
        String severity = text(data.get("severity"));
        String reason = text(data.get("reason"));
        JsonNode status = data.path("delivery-status");
        EventType type = typeOf(kind, severity, reason);
        String providerId = Optional.ofNullable(text(data.get("id"))).orElseGet(() -> CanonicalEvents.fingerprint(data.toString()));
        ObjectNode event = CanonicalEvents.event(type, source(), workspaceId, providerId,
                CanonicalEvents.epochSeconds(data.get("timestamp")), data);
        String recipient = text(data.get("recipient"));
        if (recipient == null) {
            throw new IllegalArgumentException("the " + kind + " event names no recipient");
        }
        event.put("recipient", recipient);
        putText(event, "message_id", data.path("message").path("headers").get("message-id"));
        putText(event, "campaign_id", data.path("user-variables").get("campaign_id"));
        putText(event, "user_agent", data.path("client-info").get("user-agent"));
        CanonicalEvents.putIp(event, data.get("ip"));
        ObjectNode attributes = event.putObject("attributes");
        Integer code = status.path("code").canConvertToInt() ? status.path("code").asInt() : null;
        String message = Optional.ofNullable(text(status.get("message"))).orElse(text(status.get("description")));
        String enhanced = text(status.get("enhanced-code"));
        switch (type) {
            case EMAIL_DELIVER -> {
                if (code != null && code >= 200 && code <= 299) {
                    attributes.put("smtp_code", code);
                }
                putText(attributes, "mx_host", status.get("mx-host"));
            }
            case EMAIL_DEFER -> {
                if (code != null && code >= 400 && code <= 499) {
                    attributes.put("smtp_code", code);
                }
                putEnhanced(attributes, enhanced, message);
                if (message != null) {
                    attributes.put("diagnostic", diagnostic(message));
                }
                if (status.path("attempt-no").canConvertToInt() && status.path("attempt-no").asInt() > 0) {
                    attributes.put("attempt", status.path("attempt-no").asInt());
                }
                putText(attributes, "mx_host", status.get("mx-host"));
            }
            case EMAIL_BOUNCE -> {
                attributes.put("bounce_kind", "espblock".equals(reason) ? "block" : "hard");
                if (code != null && code >= 400 && code <= 599) {
                    attributes.put("smtp_code", code);
                }
                putEnhanced(attributes, enhanced, message);
                if (message != null) {
                    attributes.put("diagnostic", diagnostic(message));
                }
                putText(attributes, "mx_host", status.get("mx-host"));
            }
            case EMAIL_REJECT -> {
                attributes.put("reason", "suppressed");
                attributes.put("diagnostic", diagnostic(Optional.ofNullable(message).orElse(reason)));
            }
            case EMAIL_CLICK -> {
                String url = text(data.get("url"));
                if (url == null) {
                    throw new IllegalArgumentException("the clicked event has no url");
                }
                event.put("link_url", url);
            }
            case EMAIL_UNSUBSCRIBE -> {
                attributes.put("scope", "all");
                attributes.put("method", "link");
            }
            case EMAIL_COMPLAINT -> attributes.put("feedback_type", "abuse");
            default -> {
            }
        }
        return event;
    }

    private static EventType typeOf(String kind, String severity, String reason) {
        if (kind == null) {
            throw new IllegalArgumentException("the event has no 'event' field");
        }
        return switch (kind) {
            case "accepted" -> EventType.EMAIL_SEND;
            case "delivered" -> EventType.EMAIL_DELIVER;
            // A temporary failure is a deferral: Mailgun will try again. Only a permanent one is a bounce.
            case "failed" -> "temporary".equals(severity) ? EventType.EMAIL_DEFER
                    : reason != null && reason.startsWith("suppress-") ? EventType.EMAIL_REJECT : EventType.EMAIL_BOUNCE;
            case "opened" -> EventType.EMAIL_OPEN;
            case "clicked" -> EventType.EMAIL_CLICK;
            case "unsubscribed" -> EventType.EMAIL_UNSUBSCRIBE;
            case "complained" -> EventType.EMAIL_COMPLAINT;
            default -> throw new IllegalArgumentException("Mailgun event '" + kind + "' has no canonical type");
        };
    }

    private static void putEnhanced(ObjectNode attributes, String enhanced, String message) {
        String status = enhanced != null && enhanced.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? enhanced : CanonicalEvents.enhancedStatus(message);
        if (status != null) {
            attributes.put("enhanced_status", status);
        }
    }

    static String expected(String signingKey, String timestamp, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static Optional<JsonNode> body(WebhookRequest request) {
        try {
            JsonNode body = JSON.readTree(request.body());
            return body.isObject() ? Optional.of(body) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
