package dev.mailpulse.livecache;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The cache stage: a message's events applied to the live cache once each ({@link CacheReconciler}, which rebuilds a
 * cache Redis lost first), waiting out an outage of Redis or the database while holding the message. sink-redis's
 * function and the composed pipeline both apply it.
 */
public final class CacheStage {

    private final CacheReconciler reconciler;
    private final UntilAvailable untilAvailable;
    private final MeterRegistry metrics;

    public CacheStage(CacheReconciler reconciler, UntilAvailable untilAvailable, MeterRegistry metrics) {
        this.reconciler = reconciler;
        this.untilAvailable = untilAvailable;
        this.metrics = metrics;
    }

    /**
     * Applies the events; the items that could not be read are only counted: the cache is a view, and the store
     * keeps them as failed events.
     */
    public long apply(Items<Event> events) {
        long applied = untilAvailable.get("applying events to the live cache", () -> reconciler.apply(events.items()));
        metrics.counter("mailpulse.cache.events", "outcome", "applied").increment(applied);
        metrics.counter("mailpulse.cache.events", "outcome", "duplicate").increment(events.items().size() - applied);
        metrics.counter("mailpulse.cache.events", "outcome", "unreadable").increment(events.failures().size());
        return applied;
    }
}
