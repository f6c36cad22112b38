package dev.mailpulse.collector.webhook;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.event.EventIds;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.EventType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Helpers the provider adapters share to build canonical events from providers' payloads. */
final class CanonicalEvents {

    private static final Pattern SMTP_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)\\b");
    private static final Pattern ENHANCED_STATUS = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private CanonicalEvents() {
    }

    /**
     * A canonical event whose id is derived from the provider's own event id, so the provider's redeliveries of it
     * are recognised downstream. The provider's payload is kept whole for audit.
     */
    static ObjectNode event(EventType type, EventSource source, UUID workspaceId, String providerEventId, Instant occurredAt,
                            JsonNode providerPayload) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_id", EventIds.fromProviderEvent(source, workspaceId, providerEventId).toString());
        event.put("type", type.wireName());
        event.put("schema_version", 1);
        event.put("occurred_at", occurredAt.toString());
        event.put("provider_event_id", providerEventId.length() <= 256 ? providerEventId : fingerprint(providerEventId));
        event.set("provider_payload", providerPayload);
        return event;
    }

    /** A stable id for a provider's item that has none of its own: identical redeliveries give identical ids. */
    static String fingerprint(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Copies a non-empty text (or number, as text) value into {@code target.field}. */
    static void putText(ObjectNode target, String field, JsonNode value) {
        String text = text(value);
        if (text != null) {
            target.put(field, text);
        }
    }

    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainer()) {
            return null;
        }
        String text = value.asString().strip();
        return text.isEmpty() ? null : text;
    }

    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");

    /**
     * Copies a client's IP address, if it is one: providers' documentation (and some proxies) put placeholders such
     * as 000.000.000.000 there, which must not make the whole event unusable. The payload keeps what was sent.
     */
    static void putIp(ObjectNode target, JsonNode value) {
        String ip = text(value);
        if (ip != null && (IPV4.matcher(ip).matches() || IPV6.matcher(ip).matches() && isIpv6(ip))) {
            target.put("ip", ip);
        }
    }

    private static boolean isIpv6(String literal) {
        try {
            return java.net.InetAddress.getByName(literal) instanceof java.net.Inet6Address; // a literal: no DNS look-up
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Seconds since the epoch, as a number (whole or with a fraction) or as a numeric string. */
    static Instant epochSeconds(JsonNode value) {
        String text = text(value);
        if (text == null) {
            throw new IllegalArgumentException("the event has no timestamp");
        }
        try {
            BigDecimal seconds = new BigDecimal(text);
            BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
            return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
        } catch (ArithmeticException | java.time.DateTimeException e) { // NumberFormatException is an IllegalArgumentException
            throw new IllegalArgumentException("the timestamp " + diagnostic(text) + " is not a time in seconds since the epoch", e);
        }
    }

    /** An RFC 3339 / ISO 8601 timestamp with an offset. */
    static Instant timestamp(JsonNode value) {
        String text = text(value);
        if (text == null) {
            throw new IllegalArgumentException("the event has no timestamp");
        }
        return EventJson.parseTimestamp(text);
    }

    /** The SMTP reply code at the start of a server's reply ("550 5.1.1 No such user" gives 550). */
    static Integer smtpCode(String reply) {
        if (reply == null) {
            return null;
        }
        Matcher matcher = SMTP_CODE.matcher(reply);
        return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
    }

    /** The enhanced status code in a server's reply ("550 5.1.1 No such user" gives 5.1.1). */
    static String enhancedStatus(String reply) {
        if (reply == null) {
            return null;
        }
        Matcher matcher = ENHANCED_STATUS.matcher(reply);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Keeps a diagnostic within the schema's bound. */
    static String diagnostic(String text) {
        return text == null ? null : text.length() <= 4096 ? text : text.substring(0, 4096);
    }
}
