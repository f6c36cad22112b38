package dev.mailpulse.collector.webhook;

import static dev.mailpulse.collector.webhook.CanonicalEvents.diagnostic;
import static dev.mailpulse.collector.webhook.CanonicalEvents.putText;
import static dev.mailpulse.collector.webhook.CanonicalEvents.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Amazon SES event publishing through an SNS topic: SNS posts signed messages to the webhook; only the workspace's
 * own topic is accepted, subscriptions to it are confirmed, and each SES event becomes one canonical event per
 * recipient it concerns.
 */
public final class SesAdapter implements ProviderAdapter {

    private static final JsonMapper JSON = WireJson.MAPPER;
    private static final Set<String> FEEDBACK_TYPES = Set.of("abuse", "fraud", "virus", "not-spam");

    private final SnsMessages sns;

    public SesAdapter(SnsMessages sns) {
        this.sns = sns;
    }

    @Override
    public EventSource source() {
        return EventSource.SES;
    }

    @Override
    public Optional<Answer.Refused> verify(WebhookRequest request, ObjectNode credential) {
        JsonNode message;
        try {
            message = JSON.readTree(request.body());
        } catch (JacksonException e) {
            return Optional.of(Answer.Refused.of(401, "the body is not an SNS message", "body"));
        }
        String topic = text(message.get("TopicArn"));
        if (topic == null || !topic.equals(credential.get("topic_arn").asString())) {
            return Optional.of(Answer.Refused.of(403, "messages from topic " + topic + " are not accepted for this workspace", "/TopicArn"));
        }
        return sns.verify(message).map(reason -> Answer.Refused.of(401, reason, "/Signature"));
    }

    @Override
    public WebhookOutcome read(WebhookRequest request, UUID workspaceId) {
        JsonNode envelope = JSON.readTree(request.body());
        switch (String.valueOf(text(envelope.get("Type")))) {
            case "SubscriptionConfirmation" -> {
                try {
                    sns.confirmSubscription(envelope);
                    return new WebhookOutcome.Handled("subscription to " + text(envelope.get("TopicArn")) + " confirmed");
                } catch (Exception e) {
                    return new WebhookOutcome.Unreadable(502, "the subscription could not be confirmed: " + e.getMessage(), "/SubscribeURL");
                }
            }
            case "UnsubscribeConfirmation" -> {
                return new WebhookOutcome.Handled("unsubscribed from " + text(envelope.get("TopicArn")));
            }
            default -> {
            }
        }
        if (envelope.get("Message") == null || !envelope.get("Message").isString()) {
            return new WebhookOutcome.Unreadable(400, "the SNS Message must be a string holding the SES event", "/Message");
        }
        JsonNode message;
        try {
            message = JSON.readTree(envelope.get("Message").asString());
        } catch (JacksonException e) {
            return new WebhookOutcome.Unreadable(400, "the SNS Message is not an SES event: " + e.getOriginalMessage(), "/Message");
        }
        List<Ingestion.Item> events = new ArrayList<>();
        List<ItemFailure> unmapped = new ArrayList<>();
        try {
            map(message, text(envelope.get("MessageId")), workspaceId, events);
        } catch (RuntimeException e) { // whatever the message holds, it costs only itself
            events.clear();
            unmapped.add(WebhookOutcome.unmapped(0, e, message));
        }
        return new WebhookOutcome.Events(events, unmapped);
    }

    private void map(JsonNode message, String snsMessageId, UUID workspaceId, List<Ingestion.Item> into) {
        // Event publishing says eventType; the older feedback notifications say notificationType.
        String kind = Optional.ofNullable(text(message.get("eventType"))).orElse(text(message.get("notificationType")));
        if (kind == null) {
            throw new IllegalArgumentException("the SES message has no eventType");
        }
        JsonNode mail = message.path("mail");
        switch (kind) {
            case "Send" -> forEach(mail.path("destination"), r -> r, recipient ->
                    add(into, base(EventType.EMAIL_SEND, message, workspaceId, snsMessageId, recipient, mail.get("timestamp"))));
            case "Reject" -> forEach(mail.path("destination"), r -> r, recipient -> {
                ObjectNode event = base(EventType.EMAIL_REJECT, message, workspaceId, snsMessageId, recipient, mail.get("timestamp"));
                attributes(event).put("reason", "content");
                putText(attributes(event), "diagnostic", message.path("reject").get("reason"));
                add(into, event);
            });
            case "Rendering Failure" -> forEach(mail.path("destination"), r -> r, recipient -> {
                ObjectNode event = base(EventType.EMAIL_REJECT, message, workspaceId, snsMessageId, recipient, mail.get("timestamp"));
                attributes(event).put("reason", "rendering_failure");
                putText(attributes(event), "diagnostic", message.path("failure").get("errorMessage"));
                add(into, event);
            });
            case "Bounce" -> forEach(message.path("bounce").path("bouncedRecipients"), r -> r.get("emailAddress"), bounced -> add(into, bounce(message, workspaceId, snsMessageId, bounced)));
            case "Complaint" -> forEach(message.path("complaint").path("complainedRecipients"), r -> r.get("emailAddress"), complained -> {
                ObjectNode event = base(EventType.EMAIL_COMPLAINT, message, workspaceId, snsMessageId, complained.get("emailAddress"),
                        message.path("complaint").get("timestamp"));
                String feedback = text(message.path("complaint").get("complaintFeedbackType"));
                attributes(event).put("feedback_type", feedback != null && FEEDBACK_TYPES.contains(feedback) ? feedback : "other");
                putText(attributes(event), "feedback_provider", message.path("complaint").get("userAgent"));
                add(into, event);
            });
            case "Delivery" -> forEach(message.path("delivery").path("recipients"), r -> r, recipient -> {
                JsonNode delivery = message.path("delivery");
                ObjectNode event = base(EventType.EMAIL_DELIVER, message, workspaceId, snsMessageId, recipient, delivery.get("timestamp"));
                Integer code = CanonicalEvents.smtpCode(text(delivery.get("smtpResponse")));
                if (code != null && code >= 200 && code <= 299) {
                    attributes(event).put("smtp_code", code);
                }
                if (delivery.path("processingTimeMillis").canConvertToLong() && delivery.path("processingTimeMillis").asLong() >= 0) {
                    attributes(event).put("delivery_ms", delivery.path("processingTimeMillis").asLong());
                }
                add(into, event);
            });
            case "DeliveryDelay" -> forEach(message.path("deliveryDelay").path("delayedRecipients"), r -> r.get("emailAddress"), delayed -> {
                ObjectNode event = base(EventType.EMAIL_DEFER, message, workspaceId, snsMessageId, delayed.get("emailAddress"),
                        message.path("deliveryDelay").get("timestamp"));
                putReply(attributes(event), text(delayed.get("diagnosticCode")), text(delayed.get("status")), 400, 499);
                add(into, event);
            });
            case "Open" -> {
                JsonNode open = message.path("open");
                ObjectNode event = base(EventType.EMAIL_OPEN, message, workspaceId, snsMessageId, firstDestination(mail), open.get("timestamp"));
                putText(event, "user_agent", open.get("userAgent"));
                CanonicalEvents.putIp(event, open.get("ipAddress"));
                add(into, event);
            }
            case "Click" -> {
                JsonNode click = message.path("click");
                ObjectNode event = base(EventType.EMAIL_CLICK, message, workspaceId, snsMessageId, firstDestination(mail), click.get("timestamp"));
                String link = text(click.get("link"));
                if (link == null) {
                    throw new IllegalArgumentException("the Click event has no link");
                }
                event.put("link_url", link);
                putText(event, "user_agent", click.get("userAgent"));
                CanonicalEvents.putIp(event, click.get("ipAddress"));
                add(into, event);
            }
            case "Subscription" -> subscription(message, workspaceId, snsMessageId, firstDestination(mail), into);
            default -> throw new IllegalArgumentException("SES event '" + kind + "' has no canonical type");
        }
    }

    private ObjectNode bounce(JsonNode message, UUID workspaceId, String snsMessageId, JsonNode bounced) {
        JsonNode bounce = message.path("bounce");
        String bounceType = text(bounce.get("bounceType"));
        String subType = Optional.ofNullable(text(bounce.get("bounceSubType"))).orElse("");
        boolean suppressed = subType.equals("Suppressed") || subType.equals("OnAccountSuppressionList");
        ObjectNode event = base(suppressed ? EventType.EMAIL_REJECT : EventType.EMAIL_BOUNCE, message, workspaceId, snsMessageId,
                bounced.get("emailAddress"), bounce.get("timestamp"));
        ObjectNode attributes = attributes(event);
        if (suppressed) {
            attributes.put("reason", "suppressed");
            attributes.put("diagnostic", "SES " + subType);
        } else {
            attributes.put("bounce_kind", "Permanent".equals(bounceType) ? "hard"
                    : subType.equals("ContentRejected") || subType.equals("AttachmentRejected") ? "block" : "soft");
            putReply(attributes, text(bounced.get("diagnosticCode")), text(bounced.get("status")), 400, 599);
        }
        return event;
    }

    private void subscription(JsonNode message, UUID workspaceId, String snsMessageId, JsonNode recipient, List<Ingestion.Item> into) {
        JsonNode subscription = message.path("subscription");
        JsonNode preferences = subscription.path("newTopicPreferences");
        if (preferences.path("unsubscribeAll").asBoolean(false)) {
            ObjectNode event = base(EventType.EMAIL_UNSUBSCRIBE, message, workspaceId, snsMessageId, recipient, subscription.get("timestamp"));
            attributes(event).put("scope", "all");
            attributes(event).put("method", "link");
            add(into, event);
            return;
        }
        for (JsonNode topic : preferences.path("topicSubscriptionStatus")) {
            String status = text(topic.get("subscriptionStatus"));
            EventType type = "OptOut".equals(status) ? EventType.EMAIL_UNSUBSCRIBE : EventType.EMAIL_RESUBSCRIBE;
            String topicName = text(topic.get("topicName"));
            ObjectNode event = base(type, message, workspaceId, snsMessageId + ":" + topicName + ":" + status, recipient, subscription.get("timestamp"));
            attributes(event).put("scope", "group");
            putText(attributes(event), "group_id", topic.get("topicName"));
            if (type == EventType.EMAIL_UNSUBSCRIBE) {
                attributes(event).put("method", "link");
            }
            add(into, event);
        }
    }

    private ObjectNode base(EventType type, JsonNode message, UUID workspaceId, String snsMessageId, JsonNode recipient, JsonNode occurredAt) {
        String address = text(recipient);
        if (address == null) {
            throw new IllegalArgumentException("the SES event names no recipient");
        }
        JsonNode mail = message.path("mail");
        ObjectNode event = CanonicalEvents.event(type, source(), workspaceId, snsMessageId + ":" + type.action() + ":" + address,
                CanonicalEvents.timestamp(text(occurredAt) != null ? occurredAt : mail.get("timestamp")), message);
        event.put("recipient", address);
        putText(event, "message_id", mail.get("messageId"));
        putText(event, "campaign_id", mail.path("tags").path("campaign_id").path(0));
        event.putObject("attributes");
        return event;
    }

    /** SES reports opens and clicks against the message, whose destination is its recipient. */
    private static JsonNode firstDestination(JsonNode mail) {
        return mail.path("destination").path(0);
    }

    private static void putReply(ObjectNode attributes, String diagnosticCode, String status, int min, int max) {
        Integer code = CanonicalEvents.smtpCode(diagnosticCode == null ? null : diagnosticCode.replaceFirst("^smtp;\\s*", ""));
        if (code != null && code >= min && code <= max) {
            attributes.put("smtp_code", code);
        }
        String enhanced = status != null && status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? status : CanonicalEvents.enhancedStatus(diagnosticCode);
        if (enhanced != null) {
            attributes.put("enhanced_status", enhanced);
        }
        if (diagnosticCode != null) {
            attributes.put("diagnostic", diagnostic(diagnosticCode));
        }
    }

    private static ObjectNode attributes(ObjectNode event) {
        return (ObjectNode) event.get("attributes");
    }

    private static void add(List<Ingestion.Item> into, ObjectNode event) {
        into.add(new Ingestion.Item(into.size(), event));
    }

    private static void forEach(JsonNode items, java.util.function.Function<JsonNode, JsonNode> recipientOf,
                                java.util.function.Consumer<JsonNode> action) {
        if (!items.isArray() || items.isEmpty()) {
            throw new IllegalArgumentException("the SES event lists no recipients");
        }
        for (JsonNode item : items) {
            if (text(recipientOf.apply(item)) == null) {
                throw new IllegalArgumentException("an SES recipient entry has no address");
            }
            action.accept(item);
        }
    }
}
