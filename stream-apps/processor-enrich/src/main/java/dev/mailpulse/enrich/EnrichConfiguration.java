package dev.mailpulse.enrich;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.BrokerUnavailableException;
import dev.mailpulse.stream.ConfirmedPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The app's one function, {@code enrichEvents} (bound to {@code input}), over the standard enrichments. */
@Configuration(proxyBeanMethods = false)
class EnrichConfiguration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    Workspaces workspaces(DSLContext db) {
        return new Workspaces(db);
    }

    @Bean
    Enricher enricher(EnrichProperties properties, DSLContext db, Workspaces workspaces) throws IOException {
        return StandardEnrichments.enricher(properties, db, workspaces);
    }

    @Bean
    Consumer<Message<byte[]>> enrichEvents(Enricher enricher, StreamBridge bridge, EnrichProperties properties, MeterRegistry metrics) {
        ConfirmedPublisher output = new ConfirmedPublisher(bridge, "output", properties.eventsPerMessage(), properties.confirmTimeout());
        return message -> {
            JsonNode body = JSON.readTree(message.getPayload());
            List<tools.jackson.databind.node.ObjectNode> enriched = new ArrayList<>();
            for (JsonNode item : body.isArray() ? body : List.of(body)) {
                // The validator passes only readable, valid events; anything else here is a bug upstream, and the
                // message is retried, then dead-lettered for operators, rather than silently dropped.
                Event event = enricher.enrich(EventJson.fromJson(item));
                enriched.add(EventJson.toJson(event));
                if (event.enrichment().has("failures")) {
                    metrics.counter("mailpulse.enrich.events", "outcome", "marked").increment();
                }
            }
            try {
                output.publish(enriched);
            } catch (BrokerUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            metrics.counter("mailpulse.enrich.events", "outcome", "enriched").increment(enriched.size());
        };
    }
}
