package dev.mailpulse.collector;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.mailpulse.storage.workspace.ApiKeyAuthenticator;
import dev.mailpulse.collector.api.EventsRequestParser;
import dev.mailpulse.collector.ingest.AuthenticationThrottle;
import dev.mailpulse.collector.ingest.CollectedEvents;
import dev.mailpulse.collector.ingest.IngestMetrics;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.collector.ingest.WorkspaceRateLimiter;
import dev.mailpulse.collector.webhook.MailgunAdapter;
import dev.mailpulse.collector.webhook.PostmarkAdapter;
import dev.mailpulse.collector.webhook.ProviderAdapters;
import dev.mailpulse.collector.webhook.SendGridAdapter;
import dev.mailpulse.collector.webhook.SesAdapter;
import dev.mailpulse.collector.webhook.SnsCertificates;
import dev.mailpulse.collector.webhook.SnsMessages;
import dev.mailpulse.collector.web.DatabaseUnavailableAdvice;
import dev.mailpulse.collector.web.EventsController;
import dev.mailpulse.collector.web.WebhookController;
import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.ConfirmedPublisher;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The collector: its HTTP edge ({@code POST /v1/events}, the providers' webhooks) over the plain classes wired here
 * from its {@link CollectorProperties}: the provider adapters in their registry, authentication, parsing, and
 * ingestion with confirmed publishing to {@code output} and {@code failed}.
 */
@AutoConfiguration
@EnableConfigurationProperties(CollectorProperties.class)
@Import({EventsController.class, WebhookController.class, DatabaseUnavailableAdvice.class})
public class CollectorAutoConfiguration {

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(Workspaces workspaces, CollectorProperties properties) {
        return new ApiKeyAuthenticator(workspaces, properties.credentialCacheTtl(), System::nanoTime);
    }

    @Bean
    AuthenticationThrottle authenticationThrottle(CollectorProperties properties) {
        return new AuthenticationThrottle(properties.failedAuthenticationWindow(), properties.failedAuthenticationsPerClient(),
                properties.failedAuthenticationsPerTarget(), System::nanoTime);
    }

    @Bean
    EventsRequestParser.Limits requestLimits(CollectorProperties properties) {
        return new EventsRequestParser.Limits((int) properties.maxBodySize().toBytes(), properties.maxEvents(),
                (int) properties.maxEventSize().toBytes());
    }

    @Bean
    EventsRequestParser eventsRequestParser(EventsRequestParser.Limits limits) {
        return new EventsRequestParser(limits);
    }

    @Bean
    ProviderAdapters providerAdapters(CollectorProperties properties) {
        return new ProviderAdapters(List.of(
                new SendGridAdapter(properties.sendgridSignatureMaxAge(), Clock.systemUTC()),
                new MailgunAdapter(properties.mailgunSignatureMaxAge(), Clock.systemUTC(),
                        new TtlCache<>(properties.mailgunSignatureMaxAge(), 1_000_000, System::nanoTime)),
                new PostmarkAdapter(new TtlCache<>(properties.credentialCacheTtl(), 10_000, System::nanoTime)),
                new SesAdapter(snsMessages(properties))));
    }

    private static SnsMessages snsMessages(CollectorProperties properties) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        SnsCertificates certificates = new SnsCertificates(Pattern.compile(properties.snsCertificateSubject()),
                properties.snsTrustAnchors() == null ? SnsCertificates.jdkTrustAnchors() : SnsCertificates.trustAnchors(properties.snsTrustAnchors()),
                http, new TtlCache<>(Duration.ofHours(12), 1_000, System::nanoTime), Clock.systemUTC());
        return new SnsMessages(Pattern.compile(properties.snsUrlPattern()), http, certificates, properties.snsMaxAge(), Clock.systemUTC());
    }

    @Bean
    Ingestion ingestion(CollectorProperties properties, StreamBridge streamBridge, MeterRegistry meterRegistry) {
        return new Ingestion(
                new CollectedEvents(new RecipientPseudonymizer(properties.recipientHashSecret().getBytes(StandardCharsets.UTF_8))),
                new WorkspaceRateLimiter(properties.defaultEventsPerSecond(), properties.maxEvents(), System::nanoTime),
                new ConfirmedPublisher(streamBridge, "output", properties.eventsPerMessage(), properties.confirmTimeout()),
                new ConfirmedPublisher(streamBridge, "failed", properties.eventsPerMessage(), properties.confirmTimeout()),
                new IngestMetrics(meterRegistry), properties.retryAfter(), Clock.systemUTC());
    }
}
