package dev.mailpulse.collector.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.mailpulse.core.cache.TtlCache;

/**
 * Makes refusals cheap: once a client address (or a webhook target) has failed to authenticate {@code maxFailures}
 * times within a window, its further calls are refused with 429 before any credential is looked up or any
 * signature checked, until the window has passed. So a thousand wrong keys cost the database and the CPU what the
 * first few did. Memory is bounded (least recently used addresses are forgotten first).
 */
public final class AuthenticationThrottle {

    private final TtlCache<String, AtomicInteger> failures;
    private final int maxFailuresPerClient;
    private final int maxFailuresPerTarget;
    private final Duration window;

    public AuthenticationThrottle(Duration window, int maxFailuresPerClient, int maxFailuresPerTarget, LongSupplier nanoClock) {
        this.failures = new TtlCache<>(window, 100_000, nanoClock);
        this.window = window;
        this.maxFailuresPerClient = maxFailuresPerClient;
        this.maxFailuresPerTarget = maxFailuresPerTarget;
    }

    /** Whether a call from {@code client} to {@code target} (null: none) may try to authenticate now. */
    public boolean allows(String client, String target) {
        return count("client:" + client) < maxFailuresPerClient && (target == null || count("target:" + target) < maxFailuresPerTarget);
    }

    public void failed(String client, String target) {
        increment("client:" + client);
        if (target != null) {
            increment("target:" + target);
        }
    }

    /** How long a throttled caller should wait, at most. */
    public Duration window() {
        return window;
    }

    private int count(String key) {
        AtomicInteger count = failures.getIfPresent(key);
        return count == null ? 0 : count.get();
    }

    private void increment(String key) {
        AtomicInteger count = failures.getIfPresent(key);
        if (count == null) {
            failures.put(key, new AtomicInteger(1)); // the window starts at the first failure
        } else {
            count.incrementAndGet();
        }
    }
}
