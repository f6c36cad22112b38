package dev.mailpulse.core.limit;

import java.time.Duration;

/** A token bucket, refilled at a rate up to its capacity, full when first used: the one rate limit of every entry point. */
public final class TokenBucket {

    private double tokens = -1;
    private long refilledAt;

    /**
     * Takes {@code wanted} tokens if the bucket has them.
     *
     * @return zero if they were taken, else how long until the bucket would hold them
     */
    public synchronized Duration acquire(double perSecond, double capacity, int wanted, long nowNanos) {
        tokens = tokens < 0 ? capacity : Math.min(capacity, tokens + (nowNanos - refilledAt) / 1e9 * perSecond);
        refilledAt = nowNanos;
        if (tokens >= wanted) {
            tokens -= wanted;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((wanted - tokens) / perSecond * 1e9));
    }
}
