package dev.mailpulse.sink.timescale;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of sink-timescale.
 *
 * @param retryInitialBackoff first wait after the database failed transiently (down, restarting, overloaded)
 * @param retryMaxBackoff     longest wait between attempts; the sink retries until the database is back, holding the
 *                            message unacknowledged so that nothing leaves the broker before it is stored
 */
@ConfigurationProperties("mailpulse.sink")
public record SinkProperties(
        @DefaultValue("200ms") Duration retryInitialBackoff,
        @DefaultValue("30s") Duration retryMaxBackoff) {
}
