package dev.mailpulse.enrich;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Remembers look-ups in the database for a while, with a bound on how many. */
final class LookupCache<K, V> {

    private record Entry<V>(V value, long until) {
    }

    private final long ttlNanos;
    private final Function<K, V> load;
    private final Map<K, Entry<V>> entries;

    LookupCache(EnrichProperties.Cache settings, Function<K, V> load) {
        this.ttlNanos = settings.ttl().toNanos();
        this.load = load;
        int size = settings.size();
        this.entries = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > size;
            }
        });
    }

    V get(K key) {
        long now = System.nanoTime();
        Entry<V> entry = entries.get(key);
        if (entry == null || entry.until() - now <= 0) {
            entry = new Entry<>(load.apply(key), now + ttlNanos);
            entries.put(key, entry);
        }
        return entry.value();
    }
}
