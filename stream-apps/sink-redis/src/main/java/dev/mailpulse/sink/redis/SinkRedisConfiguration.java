package dev.mailpulse.sink.redis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The app's one function, {@code cacheEvents} (bound to {@code input}), and the watch that rebuilds a lost cache
 * when no message comes to do it. While Redis or the database is away the function waits, holding its message.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SinkRedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SinkRedisConfiguration.class);

    @Bean
    LiveCache liveCache(StringRedisTemplate redis, LiveCacheProperties properties) {
        return new LiveCache(redis, properties, Clock.systemUTC());
    }

    @Bean
    CacheReconciler cacheReconciler(DSLContext db, StringRedisTemplate redis, LiveCache cache, LiveCacheProperties properties) {
        return new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
    }

    @Bean
    Consumer<Message<byte[]>> cacheEvents(CacheReconciler reconciler, UntilAvailable untilAvailable, MeterRegistry metrics) {
        return message -> {
            WireJson.Items items = WireJson.items(message.getPayload(), "cache");
            List<Event> events = new ArrayList<>();
            int unreadable = items.unreadable().size();
            for (JsonNode item : items.items()) {
                try {
                    events.add(EventJson.fromJson(item));
                } catch (RuntimeException e) {
                    unreadable++; // the cache is a view: sink-timescale keeps such items as failed events
                }
            }
            long applied = untilAvailable.get("applying events to the live cache", () -> reconciler.apply(events));
            metrics.counter("mailpulse.cache.events", "outcome", "applied").increment(applied);
            metrics.counter("mailpulse.cache.events", "outcome", "duplicate").increment(events.size() - applied);
            metrics.counter("mailpulse.cache.events", "outcome", "unreadable").increment(unreadable);
        };
    }

    /** Checks every half minute that Redis still holds the cache (it keeps nothing on disk), and rebuilds it if not. */
    @Bean
    ReconciliationWatch reconciliationWatch(CacheReconciler reconciler) {
        return new ReconciliationWatch(reconciler);
    }

    static final class ReconciliationWatch {
        private final CacheReconciler reconciler;

        ReconciliationWatch(CacheReconciler reconciler) {
            this.reconciler = reconciler;
        }

        @Scheduled(initialDelay = 0, fixedDelayString = "${mailpulse.cache.reconcile-check:30s}")
        void check() {
            try {
                reconciler.ensureReconciled();
            } catch (RuntimeException e) {
                log.warn("The live cache could not be reconciled now: {}", e.getMessage());
            }
        }
    }
}
