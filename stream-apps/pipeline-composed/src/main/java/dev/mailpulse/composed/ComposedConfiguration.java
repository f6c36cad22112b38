package dev.mailpulse.composed;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.EnrichProperties;
import dev.mailpulse.enrich.Enricher;
import dev.mailpulse.enrich.StandardEnrichments;
import dev.mailpulse.sink.redis.LiveCache;
import dev.mailpulse.sink.redis.LiveCacheProperties;
import dev.mailpulse.sink.timescale.BatchWriter;
import dev.mailpulse.sink.timescale.SinkProperties;
import dev.mailpulse.sink.timescale.UntilStored;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.validate.EventScreening;
import dev.mailpulse.validate.ValidateProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code processEvents} (bound to {@code input}, the collector's destination): validate, enrich, store and cache a
 * message's events in one go. The message is acknowledged after all of it, and the events are remembered as passed
 * last, so a crash anywhere redelivers the message and the idempotent store and cache take it again without counting
 * twice. (The separate sink-redis also rebuilds a cache Redis lost; this one does not.)
 */
@Configuration(proxyBeanMethods = false)
class ComposedConfiguration {

    @Bean
    Consumer<Message<byte[]>> processEvents(DSLContext db, StringRedisTemplate redis, ValidateProperties validate,
                                            EnrichProperties enrich, SinkProperties sink, LiveCacheProperties cache,
                                            MeterRegistry metrics) throws IOException {
        Workspaces workspaces = new Workspaces(db);
        EventScreening screening = new EventScreening(workspaces, redis, validate, metrics);
        Enricher enricher = StandardEnrichments.enricher(enrich, db, workspaces);
        BatchWriter writer = new BatchWriter(db);
        UntilStored untilStored = new UntilStored(sink.retryInitialBackoff(), sink.retryMaxBackoff());
        LiveCache liveCache = new LiveCache(redis, cache, Clock.systemUTC());
        return message -> {
            EventScreening.Screened screened = screening.screen(message.getPayload());
            List<Event> enriched = screened.fresh().stream().map(enricher::enrich).toList();
            BatchWriter.Written written = untilStored.write(() -> writer.write(enriched, screened.failures()));
            liveCache.apply(enriched);
            screening.passed(screened.fresh());
            metrics.counter("mailpulse.composed.events", "outcome", "stored").increment(written.stored());
            metrics.counter("mailpulse.composed.events", "outcome", "failed").increment(written.failed());
        };
    }
}
