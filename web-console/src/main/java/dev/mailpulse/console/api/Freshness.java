package dev.mailpulse.console.api;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.storage.events.StoredEvents;

/**
 * How fresh an answer is, from the workspace's newest event: when the read model and the live cache last took one
 * ({@code as_of}), and how long after the collector received it ({@code lag_ms}, the pipeline's delay). All null for
 * a workspace with no events yet. A pipeline that has stopped shows as an {@code as_of} that no longer moves.
 */
public record Freshness(Instant readModelAsOf, Long readModelLagMs, Instant liveCacheAsOf, Long liveCacheLagMs) {

    public static Freshness of(DSLContext db, LiveCache cache, UUID workspace) {
        var stored = new StoredEvents(db, workspace).newest();
        var live = cache.newestLive(workspace);
        Instant liveAt = live.map(LiveCache::addedAt).orElse(null);
        Long liveLag = live.map(entry -> {
            Instant received = Instant.parse(WireJson.MAPPER.readTree(entry.event()).get("received_at").asString());
            return Duration.between(received, LiveCache.addedAt(entry)).toMillis();
        }).orElse(null);
        return new Freshness(stored.map(StoredEvents.Arrival::storedAt).orElse(null),
                stored.map(a -> Duration.between(a.receivedAt(), a.storedAt()).toMillis()).orElse(null), liveAt, liveLag);
    }
}
