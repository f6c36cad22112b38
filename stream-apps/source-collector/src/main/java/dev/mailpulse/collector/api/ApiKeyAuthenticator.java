package dev.mailpulse.collector.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.mailpulse.storage.workspace.ApiKeys;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.storage.workspace.Workspaces.KeyCheck;

/**
 * Checks API keys against the database, remembering each answer for a short time so that a busy client costs one
 * look-up per interval instead of one per request. Keys are remembered by their hash only.
 */
public final class ApiKeyAuthenticator {

    private static final int MAX_REMEMBERED = 100_000;

    private record Remembered(KeyCheck check, long until) {
    }

    private final Workspaces workspaces;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(Workspaces workspaces, Duration ttl, LongSupplier nanoClock) {
        this.workspaces = workspaces;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    public KeyCheck check(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            return new KeyCheck.Unknown();
        }
        String hash = ApiKeys.hash(apiKey);
        long now = nanoClock.getAsLong();
        Remembered known = remembered.get(hash);
        if (known != null && known.until() - now > 0) {
            return known.check();
        }
        KeyCheck check = workspaces.authenticate(apiKey);
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear(); // a flood of made-up keys must not grow memory without bound
        }
        remembered.put(hash, new Remembered(check, now + ttlNanos));
        return check;
    }
}
