package dev.mailpulse.enrich;

import java.io.IOException;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.ConfirmedPublisher;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The enrich stage over the standard enrichments, and its function, {@code enrichEvents} (bound to {@code input}):
 * enriched events to {@code output}; an item that cannot be read becomes a failure of the {@code enrich} stage on
 * {@code failed}, and the others go on.
 */
@AutoConfiguration
@EnableConfigurationProperties(EnrichProperties.class)
public class EnrichAutoConfiguration {

    @Bean
    EnrichStage enrichStage(EnrichProperties properties, DSLContext db, Workspaces workspaces, MeterRegistry metrics) throws IOException {
        return new EnrichStage(StandardEnrichments.enricher(properties, db, workspaces), metrics);
    }

    @Bean
    Consumer<Message<byte[]>> enrichEvents(EnrichStage stage, StreamBridge bridge, EnrichProperties properties, UntilAvailable untilAvailable) {
        ConfirmedPublisher output = new ConfirmedPublisher(bridge, "output", properties.eventsPerMessage(), properties.confirmTimeout());
        ConfirmedPublisher failed = new ConfirmedPublisher(bridge, "failed", properties.eventsPerMessage(), properties.confirmTimeout());
        return message -> {
            Items<Event> enriched = stage.enrich(WireJson.decode(message.getPayload(), Stage.ENRICH, EventJson::fromJson));
            untilAvailable.publish("publishing enriched events", output, enriched.items().stream().map(EventJson::toJson).toList());
            untilAvailable.publish("publishing failures", failed, enriched.failures().stream().map(FailedEventJson::toJson).toList());
        };
    }
}
