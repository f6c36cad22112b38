package dev.mailpulse.stream;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a step while it fails with an {@link Outages outage}, backing off up to a limit. The message being handled
 * stays unacknowledged in the broker meanwhile and the consumer takes no other, so an outage pauses the stage
 * instead of sending accepted events to a dead-letter queue. Any other failure is thrown at once.
 */
public final class UntilAvailable {

    private static final Logger log = LoggerFactory.getLogger(UntilAvailable.class);

    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public UntilAvailable(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public UntilAvailable(OutageRetryProperties properties) {
        this(properties.initialBackoff(), properties.maxBackoff());
    }

    /** Runs {@code step}, named for the log, until it ends without an outage. */
    public <T> T get(String step, Supplier<T> work) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!Outages.isOutage(e)) {
                    throw e;
                }
                log.warn("{}: a service is unavailable (attempt {}: {}); retrying in {} ms", step, attempt, e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(step + ": stopped while waiting for a service; the message stays in the broker", e);
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    public void run(String step, Runnable work) {
        get(step, () -> {
            work.run();
            return null;
        });
    }

    /** Publishes with confirms until the broker confirms. */
    public void publish(String step, ConfirmedPublisher publisher, java.util.List<tools.jackson.databind.node.ObjectNode> items) {
        run(step, () -> {
            try {
                publisher.publish(items);
            } catch (BrokerUnavailableException e) {
                throw new BrokerOutage(e);
            }
        });
    }

    /** Carries a checked broker failure through {@link #run}, which sees it as an outage. */
    private static final class BrokerOutage extends RuntimeException {
        BrokerOutage(BrokerUnavailableException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
