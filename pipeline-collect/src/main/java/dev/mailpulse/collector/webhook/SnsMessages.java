package dev.mailpulse.collector.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * Amazon SNS's HTTP(S) messages: checks their signature (SignatureVersion 1, SHA1withRSA, or 2, SHA256withRSA) with
 * the certificate at SigningCertURL, fetched only from an allowed SNS address and trusted only as {@link SnsCertificates}
 * says, and confirms subscriptions.
 */
public final class SnsMessages {

    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION_FIELDS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    private final Pattern allowedUrl;
    private final Duration maxAge;
    private final Clock clock;
    private final HttpClient http;
    private final SnsCertificates certificates;

    /**
     * @param allowedUrl what a SigningCertURL or SubscribeURL must match, e.g. {@code ^https://sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/}
     * @param maxAge     how far a message's signed Timestamp may be from now: a signed message replayed later is refused
     */
    public SnsMessages(Pattern allowedUrl, HttpClient http, SnsCertificates certificates, Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
        this.allowedUrl = allowedUrl;
        this.http = http;
        this.certificates = certificates;
    }

    /** @return why the message is not authentic, if it is not */
    public Optional<String> verify(JsonNode message) {
        String type = text(message, "Type");
        List<String> fields = "Notification".equals(type) ? NOTIFICATION_FIELDS
                : "SubscriptionConfirmation".equals(type) || "UnsubscribeConfirmation".equals(type) ? SUBSCRIPTION_FIELDS : null;
        if (fields == null) {
            return Optional.of("unknown SNS message Type " + type);
        }
        String algorithm = switch (String.valueOf(text(message, "SignatureVersion"))) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null) {
            return Optional.of("unsupported SignatureVersion " + text(message, "SignatureVersion"));
        }
        Optional<String> stale = ReplayWindow.timestamp(text(message, "Timestamp"), maxAge, clock);
        if (stale.isPresent()) {
            return stale; // before the certificate and the signature: a replay costs no RSA
        }
        String certificateUrl = text(message, "SigningCertURL");
        if (certificateUrl == null || !allowedUrl.matcher(certificateUrl).find() || !certificateUrl.endsWith(".pem")) {
            return Optional.of("SigningCertURL is not a certificate of Amazon SNS: " + certificateUrl);
        }
        try {
            X509Certificate certificate = certificates.signingCertificate(certificateUrl);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(stringToSign(message, fields).getBytes(StandardCharsets.UTF_8));
            String signature = text(message, "Signature");
            if (signature != null && verifier.verify(Base64.getDecoder().decode(signature))) {
                return Optional.empty();
            }
            return Optional.of("the signature does not match the message");
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            return Optional.of("the signature cannot be checked: " + e.getMessage());
        }
    }

    /** Visits the SubscribeURL of an authentic SubscriptionConfirmation, which confirms the subscription. */
    public void confirmSubscription(JsonNode message) throws java.io.IOException, InterruptedException {
        String subscribeUrl = text(message, "SubscribeURL");
        if (subscribeUrl == null || !allowedUrl.matcher(subscribeUrl).find()) {
            throw new IllegalArgumentException("SubscribeURL is not an Amazon SNS address: " + subscribeUrl);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(subscribeUrl)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("SNS answered " + response.statusCode() + " to the subscription confirmation");
        }
    }

    /** The canonical string SNS signs: each present field's name and value, one a line, in a fixed order. */
    private static String stringToSign(JsonNode message, List<String> fields) {
        StringBuilder signed = new StringBuilder();
        for (String field : fields) {
            String value = text(message, field);
            if (value != null) {
                signed.append(field).append('\n').append(value).append('\n');
            }
        }
        return signed.toString();
    }

    private static String text(JsonNode message, String field) {
        return WireJson.text(message.get(field));
    }
}
