package dev.mailpulse.validate;

import java.util.function.Consumer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.ConfirmedPublisher;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The validate stage and its function, {@code validateEvents} (bound to {@code input}): valid, new events go on to
 * {@code output}, failures with their reason to {@code failed}, duplicates are dropped and counted. The input message
 * is acknowledged only after the broker confirmed both; an outage of the broker, PostgreSQL or Redis holds it until
 * they are back.
 */
@AutoConfiguration
@EnableConfigurationProperties(ValidateProperties.class)
public class ValidateAutoConfiguration {

    @Bean
    ValidateStage validateStage(Workspaces workspaces, StringRedisTemplate redis, ValidateProperties properties,
                                UntilAvailable untilAvailable, MeterRegistry metrics) {
        return new ValidateStage(workspaces, redis, properties, untilAvailable, metrics);
    }

    @Bean
    Consumer<Message<byte[]>> validateEvents(ValidateStage stage, StreamBridge bridge, ValidateProperties properties,
                                             UntilAvailable untilAvailable) {
        ConfirmedPublisher valid = new ConfirmedPublisher(bridge, "output", properties.eventsPerMessage(), properties.confirmTimeout());
        ConfirmedPublisher failed = new ConfirmedPublisher(bridge, "failed", properties.eventsPerMessage(), properties.confirmTimeout());
        return message -> {
            Items<Event> screened = stage.screen(message.getPayload());
            untilAvailable.publish("publishing valid events", valid, screened.items().stream().map(EventJson::toJson).toList());
            untilAvailable.publish("publishing failures", failed, screened.failures().stream().map(FailedEventJson::toJson).toList());
            stage.passed(screened.items());
        };
    }
}
