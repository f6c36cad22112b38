package dev.mailpulse.core.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Remembers values for a fixed time, with a bound on how many: when full, the least recently used entry makes room,
 * so a flood of new keys (made-up API keys, say) never evicts the ones in use all at once.
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, long until) {
    }

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<K, Entry<V>> entries;

    public TtlCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The value remembered for {@code key}, or the one {@code load} gives (called outside the cache's lock). */
    public V get(K key, Function<K, V> load) {
        V known = getIfPresent(key);
        if (known != null) {
            return known;
        }
        V loaded = load.apply(key);
        put(key, loaded);
        return loaded;
    }

    public synchronized V getIfPresent(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (entry.until() - nanoClock.getAsLong() <= 0) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    public synchronized void put(K key, V value) {
        entries.put(key, new Entry<>(value, nanoClock.getAsLong() + ttlNanos));
    }
}
