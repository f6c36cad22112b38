package dev.mailpulse.alerting;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of MailPulse's alert webhooks (a contract): {@code X-MailPulse-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>" under the channel's secret>}. The timestamp inside the signed text lets a receiver
 * refuse a replayed request; {@link #verify} is what a receiver does, in constant time.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-MailPulse-Signature";

    private WebhookSignature() {
    }

    public static String sign(String secret, Instant at, byte[] body) {
        long seconds = at.getEpochSecond();
        return "t=" + seconds + ",v1=" + HexFormat.of().formatHex(mac(secret, seconds, body));
    }

    /** Whether a header signs the body under the secret, at most {@code tolerance} away from {@code now}. */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        Long seconds = null;
        byte[] claimed = null;
        for (String part : Objects.requireNonNullElse(header, "").split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            try {
                if (pair[0].equals("t")) {
                    seconds = Long.parseLong(pair[1]);
                } else if (pair[0].equals("v1")) {
                    claimed = HexFormat.of().parseHex(pair[1]);
                }
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        return seconds != null && claimed != null
                && Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(tolerance) <= 0
                && MessageDigest.isEqual(claimed, mac(secret, seconds, body));
    }

    private static byte[] mac(String secret, long seconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((seconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
