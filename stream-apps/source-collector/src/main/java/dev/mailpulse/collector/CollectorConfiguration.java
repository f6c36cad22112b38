package dev.mailpulse.collector;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.jooq.DSLContext;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mailpulse.collector.api.ApiKeyAuthenticator;
import dev.mailpulse.collector.api.EventsRequestParser;
import dev.mailpulse.collector.ingest.CollectedEvents;
import dev.mailpulse.collector.ingest.IngestMetrics;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.collector.ingest.WorkspaceRateLimiter;
import dev.mailpulse.collector.publish.EventPublisher;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.storage.workspace.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;

/** Wires the collector's plain classes from its {@link CollectorProperties}. */
@Configuration(proxyBeanMethods = false)
class CollectorConfiguration {

    @Bean
    Workspaces workspaces(DSLContext db) {
        return new Workspaces(db);
    }

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(Workspaces workspaces, CollectorProperties properties) {
        return new ApiKeyAuthenticator(workspaces, properties.credentialCacheTtl(), System::nanoTime);
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
    Ingestion ingestion(CollectorProperties properties, StreamBridge streamBridge, MeterRegistry meterRegistry) {
        return new Ingestion(
                new CollectedEvents(new RecipientPseudonymizer(properties.recipientHashSecret().getBytes(StandardCharsets.UTF_8))),
                new WorkspaceRateLimiter(properties.defaultEventsPerSecond(), properties.maxEvents(), System::nanoTime),
                new EventPublisher(streamBridge, properties.eventsPerMessage(), properties.confirmTimeout()),
                new IngestMetrics(meterRegistry), properties.retryAfter(), Clock.systemUTC());
    }
}
