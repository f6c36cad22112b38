package dev.mailpulse.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TtlCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(10), 100, now::get);

    @Test
    void aFloodOfNewKeysEvictsTheLeastRecentlyUsedNotTheKeysInUse() {
        cache.put("in-use", "valid");
        for (int i = 0; i < 10_000; i++) {
            cache.put("made-up-" + i, "unknown");
            if (i % 50 == 0) {
                assertThat(cache.getIfPresent("in-use")).isEqualTo("valid"); // used all along
            }
        }
        assertThat(cache.getIfPresent("in-use")).isEqualTo("valid");
        assertThat(cache.getIfPresent("made-up-0")).isNull();
        assertThat(cache.getIfPresent("made-up-9999")).isEqualTo("unknown");
    }

    @Test
    void anEntryIsForgottenAfterItsTime() {
        cache.put("key", "value");
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(cache.getIfPresent("key")).isEqualTo("value");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.getIfPresent("key")).isNull();
        assertThat(cache.get("key", k -> "loaded again")).isEqualTo("loaded again");
    }
}
