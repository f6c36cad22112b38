package dev.mailpulse.collector;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the collector.
 *
 * @param recipientHashSecret   the secret recipients' addresses are hashed with (at least 16 bytes; from configuration,
 *                              {@code MAILPULSE_RECIPIENT_HASH_SECRET}); changing it changes every recipient's hash
 * @param maxBodySize           largest request body, after decompression
 * @param maxEvents             most events in one request
 * @param maxEventSize          largest single event
 * @param eventsPerMessage      events carried by one broker message
 * @param confirmTimeout        how long to wait for the broker to confirm a request's events before answering 503
 * @param retryAfter            the Retry-After of a 503 or 429
 * @param defaultEventsPerSecond a workspace's ingestion rate unless it has its own
 * @param credentialCacheTtl    how long a checked API key or webhook credential is trusted without asking the database
 *                              (a revoked key stops working within this time)
 * @param mailgunSignatureMaxAge how old (or how far in the future) a Mailgun signature may be; its tokens are
 *                              remembered this long to refuse replays
 * @param snsUrlPattern         what an SNS SigningCertURL or SubscribeURL must match: Amazon SNS's own hosts,
 *                              {@code sns.<region>.amazonaws.com} (GovCloud's regions included) and China's
 *                              {@code sns.<region>.amazonaws.com.cn}, and nothing else (not S3-hosted paths)
 * @param snsCertificateSubject what the SNS signing certificate's common name or a DNS name of it must match in full
 * @param snsTrustAnchors       a PEM file of the roots an SNS signing certificate must chain to, in place of the
 *                              JDK's trust store (unset: the JDK's, which holds Amazon's roots)
 * @param snsMaxAge             how far an SNS message's signed Timestamp may be from now (replays outside are refused)
 * @param sendgridSignatureMaxAge how far SendGrid's signed timestamp may be from now (replays outside are refused)
 * @param failedAuthenticationsPerClient how many failed authentications (unknown keys, bad signatures) a client
 *                              address may make in {@code failedAuthenticationWindow} before its calls are refused
 *                              with 429 without any check
 * @param failedAuthenticationsPerTarget the same for one webhook target (provider and workspace), from any address
 * @param failedAuthenticationWindow how long failures are counted, and a throttled caller waits
 */
@ConfigurationProperties("mailpulse.collector")
public record CollectorProperties(
        String recipientHashSecret,
        @DefaultValue("5MB") DataSize maxBodySize,
        @DefaultValue("10000") int maxEvents,
        @DefaultValue("64KB") DataSize maxEventSize,
        @DefaultValue("500") int eventsPerMessage,
        @DefaultValue("10s") Duration confirmTimeout,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("20000") int defaultEventsPerSecond,
        @DefaultValue("30s") Duration credentialCacheTtl,
        @DefaultValue("15m") Duration mailgunSignatureMaxAge,
        @DefaultValue("^https://sns\\.[a-z]{2}(-gov)?-[a-z]+-\\d\\.amazonaws\\.com(\\.cn)?/") String snsUrlPattern,
        @DefaultValue("^sns(\\.[a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?$") String snsCertificateSubject,
        Path snsTrustAnchors,
        @DefaultValue("1h") Duration snsMaxAge,
        @DefaultValue("10m") Duration sendgridSignatureMaxAge,
        @DefaultValue("20") int failedAuthenticationsPerClient,
        @DefaultValue("300") int failedAuthenticationsPerTarget,
        @DefaultValue("1m") Duration failedAuthenticationWindow) {

    public CollectorProperties {
        if (recipientHashSecret == null || recipientHashSecret.length() < 16) {
            throw new IllegalArgumentException("mailpulse.collector.recipient-hash-secret (MAILPULSE_RECIPIENT_HASH_SECRET) "
                    + "must be set to a secret of at least 16 characters");
        }
    }
}
