package dev.mailpulse.sink.redis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The app's one function, {@code cacheEvents} (bound to {@code input}), and the watch that rebuilds a lost cache. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SinkRedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SinkRedisConfiguration.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INPUT = "input";

    @Bean
    LiveCache liveCache(StringRedisTemplate redis, LiveCacheProperties properties) {
        return new LiveCache(redis, properties, Clock.systemUTC());
    }

    @Bean
    CacheReconciler cacheReconciler(DSLContext db, StringRedisTemplate redis, LiveCache cache, LiveCacheProperties properties) {
        return new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
    }

    @Bean
    Consumer<Message<byte[]>> cacheEvents(LiveCache cache, MeterRegistry metrics) {
        return message -> {
            JsonNode body = JSON.readTree(message.getPayload());
            List<Event> events = new ArrayList<>();
            int unreadable = 0;
            for (JsonNode item : body.isArray() ? body : List.of(body)) {
                try {
                    events.add(EventJson.fromJson(item));
                } catch (RuntimeException e) {
                    unreadable++; // the cache is a view: sink-timescale keeps such items as failed events
                }
            }
            long applied = cache.apply(events);
            metrics.counter("mailpulse.cache.events", "outcome", "applied").increment(applied);
            metrics.counter("mailpulse.cache.events", "outcome", "duplicate").increment(events.size() - applied);
            metrics.counter("mailpulse.cache.events", "outcome", "unreadable").increment(unreadable);
        };
    }

    /**
     * Checks every half minute that Redis still holds the cache (it keeps nothing on disk), and rebuilds it if not.
     * Consumption stops while it rebuilds, so no event is applied to counters that are being replaced.
     */
    @Bean
    ReconciliationWatch reconciliationWatch(CacheReconciler reconciler, BindingsLifecycleController bindings) {
        return new ReconciliationWatch(reconciler, bindings);
    }

    static final class ReconciliationWatch {
        private final CacheReconciler reconciler;
        private final BindingsLifecycleController bindings;

        ReconciliationWatch(CacheReconciler reconciler, BindingsLifecycleController bindings) {
            this.reconciler = reconciler;
            this.bindings = bindings;
        }

        @Scheduled(initialDelay = 0, fixedDelayString = "${mailpulse.cache.reconcile-check:30s}")
        void check() {
            try {
                if (reconciler.needed()) {
                    bindings.stop(INPUT);
                    try {
                        reconciler.reconcileIfNeeded();
                    } finally {
                        bindings.start(INPUT);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("The live cache could not be reconciled now: {}", e.getMessage());
            }
        }
    }
}
