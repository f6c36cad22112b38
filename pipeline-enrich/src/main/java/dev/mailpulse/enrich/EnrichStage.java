package dev.mailpulse.enrich;

import java.util.ArrayList;
import java.util.List;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The enrich stage: every event through the {@link Enricher}, each on its own. An enrichment that fails marks its
 * event and does not stop it; should the enricher itself fail on an event, that event alone becomes a failure of
 * this stage. processor-enrich's function and the composed pipeline both apply it.
 */
public final class EnrichStage {

    private final Enricher enricher;
    private final MeterRegistry metrics;

    public EnrichStage(Enricher enricher, MeterRegistry metrics) {
        this.enricher = enricher;
        this.metrics = metrics;
    }

    /** The events enriched, and the failures: those the events came with, and any of this stage. */
    public Items<Event> enrich(Items<Event> events) {
        List<Event> enriched = new ArrayList<>(events.items().size());
        List<FailedEvent> failures = new ArrayList<>(events.failures());
        int marked = 0;
        for (Event event : events.items()) {
            try {
                Event done = enricher.enrich(event);
                enriched.add(done);
                marked += done.enrichment().has(Enrichments.FAILURES) ? 1 : 0;
            } catch (RuntimeException e) {
                failures.add(new FailedEvent(event.workspaceId(), event.eventId(), Stage.ENRICH, FailureReason.PROCESSING_ERROR, null,
                        "the enricher failed on this event: " + e, EventJson.toJson(event), null));
            }
        }
        metrics.counter("mailpulse.enrich.events", "outcome", "enriched").increment(enriched.size());
        metrics.counter("mailpulse.enrich.events", "outcome", "marked").increment(marked);
        metrics.counter("mailpulse.enrich.events", "outcome", "failed").increment(failures.size());
        return new Items<>(enriched, failures);
    }
}
