package dev.mailpulse.composed;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.EnrichProperties;
import dev.mailpulse.enrich.Enricher;
import dev.mailpulse.enrich.StandardEnrichments;
import dev.mailpulse.livecache.CacheReconciler;
import dev.mailpulse.livecache.ReconciliationWatch;
import dev.mailpulse.sink.timescale.BatchWriter;
import dev.mailpulse.stream.UntilAvailable;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.validate.EventScreening;
import dev.mailpulse.validate.ValidateProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code processEvents} (bound to {@code input}, the collector's destination): validate, enrich, store and cache a
 * message's events in one go. The message is acknowledged after all of it, and the events are remembered as passed
 * last, so a crash anywhere redelivers the message and the idempotent store and cache take it again without counting
 * twice. A cache Redis lost is rebuilt before events are applied to it, as sink-redis does.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ComposedConfiguration {

    @Bean
    Consumer<Message<byte[]>> processEvents(DSLContext db, StringRedisTemplate redis, ValidateProperties validate,
                                            EnrichProperties enrich, CacheReconciler liveCacheWriter, UntilAvailable untilAvailable,
                                            MeterRegistry metrics) throws IOException {
        Workspaces workspaces = new Workspaces(db);
        EventScreening screening = new EventScreening(workspaces, redis, validate, untilAvailable, metrics);
        Enricher enricher = StandardEnrichments.enricher(enrich, db, workspaces);
        BatchWriter writer = new BatchWriter(db);
        return message -> {
            EventScreening.Screened screened = screening.screen(message.getPayload());
            List<Event> enriched = screened.fresh().stream().map(enricher::enrich).toList();
            BatchWriter.Written written = untilAvailable.get("storing events", () -> writer.write(enriched, screened.failures()));
            untilAvailable.get("applying events to the live cache", () -> liveCacheWriter.apply(enriched));
            screening.passed(screened.fresh());
            metrics.counter("mailpulse.composed.events", "outcome", "stored").increment(written.stored());
            metrics.counter("mailpulse.composed.events", "outcome", "failed").increment(written.failed());
        };
    }

    /** A cache Redis lost is rebuilt even when no message comes to do it, as in sink-redis. */
    @Bean
    ReconciliationWatch reconciliationWatch(CacheReconciler reconciler) {
        return new ReconciliationWatch(reconciler);
    }

    /** {@code storeFailures} (bound to {@code failures}): the items the collector could not take, kept as failed events. */
    @Bean
    Consumer<Message<byte[]>> storeFailures(DSLContext db, UntilAvailable untilAvailable) {
        BatchWriter writer = new BatchWriter(db);
        return message -> untilAvailable.get("storing failures", () -> writer.writeFailures(message.getPayload()));
    }
}
