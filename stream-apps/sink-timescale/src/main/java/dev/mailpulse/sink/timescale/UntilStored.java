package dev.mailpulse.sink.timescale;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a write while the database fails transiently, backing off up to a limit. The message being written stays
 * unacknowledged in the broker meanwhile, and the consumer takes no other: the sink pauses instead of losing events.
 */
public final class UntilStored {

    private static final Logger log = LoggerFactory.getLogger(UntilStored.class);

    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public UntilStored(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public <T> T write(Supplier<T> write) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    throw e;
                }
                log.warn("The database is unavailable (attempt {}: {}); retrying in {}", attempt, e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stopped while waiting for the database; the message stays in the broker", e);
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }
}
