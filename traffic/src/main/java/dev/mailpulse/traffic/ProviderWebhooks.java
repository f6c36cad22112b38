package dev.mailpulse.traffic;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailpulse.storage.workspace.WebhookCredential;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a share of the simulated email events the way providers do: Mailgun's signed webhook (one event a call) and
 * SendGrid's Signed Event Webhook (a batch a call), each workspace with credentials of its own, made for the run.
 * Which events go this way depends only on the event's id, so a duplicate takes the same way as its original and
 * gets the same provider id, as a provider's retry would.
 */
public final class ProviderWebhooks {

    /** The credentials one workspace's webhooks are signed with. */
    public record Credentials(String mailgunSigningKey, KeyPair sendGridKeys) {

        public static Credentials generate() {
            try {
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return new Credentials(HexFormat.of().formatHex(secret), generator.generateKeyPair());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("EC P-256 is part of every Java runtime", e);
            }
        }

        /** What the workspace stores to verify them. */
        public List<WebhookCredential> toStore() {
            return List.of(new WebhookCredential.Mailgun(mailgunSigningKey),
                    new WebhookCredential.SendGrid(Base64.getEncoder().encodeToString(sendGridKeys.getPublic().getEncoded())));
        }
    }

    private static final List<String> ROUTED_TYPES = List.of("email.deliver", "email.open", "email.click");
    private static final SecureRandom TOKENS = new SecureRandom();

    private final URI collector;
    private final List<UUID> workspaceIds;
    private final List<Credentials> credentials;
    private final int percent;

    /** {@code percent} of the deliveries, opens and clicks go through the webhooks, split between the providers. */
    public ProviderWebhooks(URI collector, List<UUID> workspaceIds, List<Credentials> credentials, int percent) {
        this.collector = collector;
        this.workspaceIds = workspaceIds;
        this.credentials = credentials;
        this.percent = percent;
    }

    /** The provider an event is sent through, if any. */
    Optional<String> providerFor(JsonNode event) {
        if (!ROUTED_TYPES.contains(event.path("type").asString()) || event.path("schema_version").asInt() != 1) {
            return Optional.empty();
        }
        int slot = Math.floorMod(event.get("event_id").asString().hashCode(), 100);
        if (slot >= percent) {
            return Optional.empty();
        }
        return Optional.of(slot % 2 == 0 ? "mailgun" : "sendgrid");
    }

    /** Mailgun posts one event a call, signed over a fresh timestamp and token. */
    HttpRequest mailgun(int workspace, JsonNode event) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        String type = event.get("type").asString();
        data.put("event", switch (type) {
            case "email.deliver" -> "delivered";
            case "email.open" -> "opened";
            default -> "clicked";
        });
        data.put("id", event.get("event_id").asString());
        data.put("timestamp", Instant.parse(event.get("occurred_at").asString()).toEpochMilli() / 1000.0);
        data.put("recipient", event.get("recipient").asString());
        data.putObject("message").putObject("headers").put("message-id", unbracketed(event.get("message_id").asString()));
        data.putObject("user-variables").put("campaign_id", event.get("campaign_id").asString());
        if (event.hasNonNull("user_agent")) {
            data.putObject("client-info").put("user-agent", event.get("user_agent").asString());
        }
        if (event.hasNonNull("ip")) {
            data.put("ip", event.get("ip").asString());
        }
        if (event.hasNonNull("link_url")) {
            data.put("url", event.get("link_url").asString());
        }
        if (type.equals("email.deliver")) {
            data.putObject("delivery-status").put("code", 250).put("message", "OK");
        }
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] token = new byte[25];
        TOKENS.nextBytes(token);
        String tokenHex = HexFormat.of().formatHex(token);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("signature").put("timestamp", timestamp).put("token", tokenHex)
                .put("signature", hmac(credentials.get(workspace).mailgunSigningKey(), timestamp + tokenHex));
        body.set("event-data", data);
        return post("mailgun", workspace, body.toString()).build();
    }

    /** SendGrid posts a batch of events a call, signed with ECDSA over the timestamp and the body. */
    HttpRequest sendGrid(int workspace, List<JsonNode> events) {
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        for (JsonNode event : events) {
            ObjectNode item = batch.addObject();
            String type = event.get("type").asString();
            item.put("event", switch (type) {
                case "email.deliver" -> "delivered";
                case "email.open" -> "open";
                default -> "click";
            });
            item.put("sg_event_id", event.get("event_id").asString());
            item.put("sg_message_id", unbracketed(event.get("message_id").asString()) + ".filterdrecv-1");
            item.put("email", event.get("recipient").asString());
            item.put("timestamp", Instant.parse(event.get("occurred_at").asString()).getEpochSecond());
            item.put("campaign_id", event.get("campaign_id").asString());
            if (event.hasNonNull("user_agent")) {
                item.put("useragent", event.get("user_agent").asString());
            }
            if (event.hasNonNull("ip")) {
                item.put("ip", event.get("ip").asString());
            }
            if (event.hasNonNull("link_url")) {
                item.put("url", event.get("link_url").asString());
            }
            if (type.equals("email.deliver")) {
                item.put("response", "250 OK");
            }
        }
        String body = batch.toString();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(credentials.get(workspace).sendGridKeys().getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body.getBytes(StandardCharsets.UTF_8));
            return post("sendgrid", workspace, body)
                    .header("X-Twilio-Email-Event-Webhook-Signature", Base64.getEncoder().encodeToString(signer.sign()))
                    .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with a key generated here cannot fail", e);
        }
    }

    private HttpRequest.Builder post(String provider, int workspace, String body) {
        return HttpRequest.newBuilder(collector.resolve("/v1/webhooks/" + provider + "/" + workspaceIds.get(workspace)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private static String unbracketed(String messageId) {
        return messageId.replaceAll("^<|>$", "");
    }

    private static String hmac(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
