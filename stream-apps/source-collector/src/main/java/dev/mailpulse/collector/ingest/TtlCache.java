package dev.mailpulse.collector.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Remembers values for a fixed time, with a bound on how many: expired entries are swept when the bound is reached,
 * and if that is not enough the cache starts afresh rather than grow without end.
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, long until) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public TtlCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    public V get(K key, Function<K, V> load) {
        V known = getIfPresent(key);
        if (known != null) {
            return known;
        }
        V loaded = load.apply(key);
        put(key, loaded);
        return loaded;
    }

    public V getIfPresent(K key) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.until() - nanoClock.getAsLong() > 0 ? entry.value() : null;
    }

    public void put(K key, V value) {
        long now = nanoClock.getAsLong();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> entry.until() - now <= 0);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now + ttlNanos));
    }
}
