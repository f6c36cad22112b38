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

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.ConfirmedPublisher;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The app's one function, {@code enrichEvents} (bound to {@code input}), over the standard enrichments. */
@Configuration(proxyBeanMethods = false)
class EnrichConfiguration {


    @Bean
    Workspaces workspaces(DSLContext db) {
        return new Workspaces(db);
    }

    @Bean
    Enricher enricher(EnrichProperties properties, DSLContext db, Workspaces workspaces) throws IOException {
        return StandardEnrichments.enricher(properties, db, workspaces);
    }

    /**
     * Each item enriched on its own: one that cannot be read becomes a failure of the {@code enrich} stage on
     * {@code failed}, and the others go on. (An enrichment that fails marks its event and does not stop it.)
     */
    @Bean
    Consumer<Message<byte[]>> enrichEvents(Enricher enricher, StreamBridge bridge, EnrichProperties properties,
                                           UntilAvailable untilAvailable, MeterRegistry metrics) {
        ConfirmedPublisher output = new ConfirmedPublisher(bridge, "output", properties.eventsPerMessage(), properties.confirmTimeout());
        ConfirmedPublisher failed = new ConfirmedPublisher(bridge, "failed", properties.eventsPerMessage(), properties.confirmTimeout());
        return message -> {
            WireJson.Items items = WireJson.items(message.getPayload(), Stage.ENRICH);
            List<ObjectNode> enriched = new ArrayList<>();
            List<FailedEvent> failures = new ArrayList<>(items.unreadable());
            for (JsonNode item : items.items()) {
                try {
                    Event event = enricher.enrich(EventJson.fromJson(item));
                    enriched.add(EventJson.toJson(event));
                    if (event.enrichment().has(Enrichments.FAILURES)) {
                        metrics.counter("mailpulse.enrich.events", "outcome", "marked").increment();
                    }
                } catch (RuntimeException e) {
                    failures.add(new FailedEvent(WireJson.uuid(item.get("workspace_id")), WireJson.uuid(item.get("event_id")), Stage.ENRICH,
                            e instanceof IllegalArgumentException
                            ? FailureReason.UNREADABLE : FailureReason.PROCESSING_ERROR, null, String.valueOf(e.getMessage()), item, null));
                }
            }
            untilAvailable.publish("publishing enriched events", output, enriched);
            untilAvailable.publish("publishing failures", failed, failures.stream().map(FailedEventJson::toJson).toList());
            metrics.counter("mailpulse.enrich.events", "outcome", "enriched").increment(enriched.size());
            metrics.counter("mailpulse.enrich.events", "outcome", "failed").increment(failures.size());
        };
    }
}
