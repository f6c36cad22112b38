package dev.mailpulse.sink.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.livecache.CacheReconciler;
import dev.mailpulse.livecache.ReconciliationWatch;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The app's one function, {@code cacheEvents} (bound to {@code input}), over the live-cache library, and the watch
 * that rebuilds a lost cache when no message comes to do it. While Redis or the database is away the function waits,
 * holding its message.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SinkRedisConfiguration {

    @Bean
    Consumer<Message<byte[]>> cacheEvents(CacheReconciler reconciler, UntilAvailable untilAvailable, MeterRegistry metrics) {
        return message -> {
            WireJson.Items items = WireJson.items(message.getPayload(), Stage.CACHE);
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

    @Bean
    ReconciliationWatch reconciliationWatch(CacheReconciler reconciler) {
        return new ReconciliationWatch(reconciler);
    }
}
