package dev.mailpulse.validate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.mailpulse.core.validation.EventValidator;

/**
 * Settings of the validate stage (processor-validate, and the composed pipeline).
 *
 * @param maxFuture          how far ahead of now an event time may be (clock skew)
 * @param maxAge             how old an event may be; late events inside it are accepted
 * @param maxImportAge       how old an event of the history import may be
 * @param dedupWindow        how long a (workspace, event id) is remembered to drop redeliveries (providers redeliver for
 *                           a day or more); memory grows with rate × window, about 80 bytes an event
 * @param dedupKeyPrefix     prefix of the de-duplication keys in Redis
 * @param eventsPerMessage   events carried by one outgoing message
 * @param confirmTimeout     how long to wait for the broker's confirms before the message is retried
 * @param workspaceCacheTtl  how long a workspace's existence is remembered
 */
@ConfigurationProperties("mailpulse.validate")
public record ValidateProperties(
        @DefaultValue("5m") Duration maxFuture,
        @DefaultValue("30d") Duration maxAge,
        @DefaultValue("400d") Duration maxImportAge,
        @DefaultValue("7d") Duration dedupWindow,
        @DefaultValue("mp:dedup:") String dedupKeyPrefix,
        @DefaultValue("500") int eventsPerMessage,
        @DefaultValue("10s") Duration confirmTimeout,
        @DefaultValue("60s") Duration workspaceCacheTtl) {

    public EventValidator.TimeLimits timeLimits() {
        return new EventValidator.TimeLimits(maxFuture, maxAge, maxImportAge);
    }
}
