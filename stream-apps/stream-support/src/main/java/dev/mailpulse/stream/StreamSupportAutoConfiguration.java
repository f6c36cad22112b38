package dev.mailpulse.stream;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.context.annotation.Bean;

import io.micrometer.core.instrument.MeterRegistry;

/** What every stream app has: outages waited out, and its dead-letter queues watched. */
@AutoConfiguration
@EnableConfigurationProperties(OutageRetryProperties.class)
public class StreamSupportAutoConfiguration {

    @Bean
    UntilAvailable untilAvailable(OutageRetryProperties properties) {
        return new UntilAvailable(properties);
    }

    @Bean
    DeadLetterQueues deadLetters(AmqpAdmin admin, BindingServiceProperties bindings, MeterRegistry metrics) {
        DeadLetterQueues queues = new DeadLetterQueues(admin, bindings);
        queues.register(metrics);
        return queues;
    }
}
