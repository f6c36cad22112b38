package dev.mailpulse.console.security;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.limit.TokenBucket;

/** A token bucket per API key (by its hash), so that one client's loop cannot take the API from the others. */
final class ApiRateLimits {

    private final int perSecond;
    private final int burst;
    private final LongSupplier nanoClock;
    private final TtlCache<String, TokenBucket> buckets;

    ApiRateLimits(int perSecond, int burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        // a key idle for longer than its bucket takes to fill loses nothing by being forgotten
        this.buckets = new TtlCache<>(Duration.ofSeconds(Math.max(60, burst / Math.max(1, perSecond) + 1)), 100_000, nanoClock);
    }

    /** @return zero if the request may pass, else how long until it could */
    Duration acquire(String keyHash) {
        return buckets.get(keyHash, hash -> new TokenBucket()).acquire(perSecond, burst, 1, nanoClock.getAsLong());
    }
}
