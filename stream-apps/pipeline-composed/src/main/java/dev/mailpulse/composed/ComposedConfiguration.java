package dev.mailpulse.composed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.enrich.EnrichStage;
import dev.mailpulse.livecache.CacheStage;
import dev.mailpulse.validate.ValidateStage;
import dev.mailpulse.write.StoreStage;

/**
 * {@code processEvents} (bound to {@code input}, the collector's destination): the validate, enrich, store and cache
 * stages applied to a message in that order, as the separate apps apply them. The message is acknowledged after all
 * of it, and the events are remembered as passed last, so a crash anywhere redelivers the message and the idempotent
 * store and cache take it again without counting twice. ({@code storeFailures}, bound to {@code failures}, and the
 * cache's reconciliation watch are the store's and the cache's own beans.)
 */
@Configuration(proxyBeanMethods = false)
class ComposedConfiguration {

    @Bean
    Consumer<Message<byte[]>> processEvents(ValidateStage validate, EnrichStage enrich, StoreStage store, CacheStage cache) {
        return message -> {
            Items<Event> valid = validate.screen(message.getPayload());
            Items<Event> enriched = enrich.enrich(Items.of(valid.items()));
            List<FailedEvent> failures = new ArrayList<>(valid.failures());
            failures.addAll(enriched.failures());
            store.storeEvents(new Items<>(enriched.items(), failures));
            cache.apply(Items.of(enriched.items()));
            validate.passed(valid.items());
        };
    }
}
