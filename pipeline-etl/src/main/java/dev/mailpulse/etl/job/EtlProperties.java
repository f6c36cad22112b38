package dev.mailpulse.etl.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The nightly ETL's settings ({@code mailpulse.etl.*}).
 *
 * @param grace          how long after a local day ends it is first processed, so that its last events are in
 * @param maxEventAge    how far back changed days are processed again: the oldest event the pipeline accepts, which
 *                       is the history import's (keep it equal to the validate stage's
 *                       {@code mailpulse.validate.max-import-age})
 * @param concurrency    how many days are processed at once, each on a connection of its own
 * @param runOnStart     whether the application runs the job with its command-line arguments and exits (the task app)
 */
@ConfigurationProperties("mailpulse.etl")
public record EtlProperties(@DefaultValue("1h") Duration grace, @DefaultValue("400d") Duration maxEventAge, @DefaultValue("2") int concurrency,
                            @DefaultValue("false") boolean runOnStart) {

    public EtlProperties {
        if (concurrency < 1) {
            throw new IllegalArgumentException("mailpulse.etl.concurrency: at least 1, not " + concurrency);
        }
        if (grace.isNegative() || maxEventAge.isNegative() || maxEventAge.isZero()) {
            throw new IllegalArgumentException("mailpulse.etl.grace and max-event-age: durations after zero");
        }
    }
}
