package dev.mailpulse.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a stream app waits out an outage of PostgreSQL, Redis or the broker.
 *
 * @param initialBackoff first wait after a service failed to answer
 * @param maxBackoff     longest wait between attempts; the app retries until the service is back, holding the message
 *                       unacknowledged so that nothing it accepted reaches a dead-letter queue
 */
@ConfigurationProperties("mailpulse.outage-retry")
public record OutageRetryProperties(
        @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff) {
}
