package dev.mailpulse.storage.workspace;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.storage.workspace.Workspaces.KeyCheck;

/**
 * Checks API keys against the database, remembering each answer for a short time so that a busy client costs one
 * look-up per interval instead of one per request. Keys are remembered by their hash only.
 */
public final class ApiKeyAuthenticator {

    private final Workspaces workspaces;
    private final TtlCache<String, KeyCheck> checked;

    public ApiKeyAuthenticator(Workspaces workspaces, Duration ttl, LongSupplier nanoClock) {
        this.workspaces = workspaces;
        this.checked = new TtlCache<>(ttl, 100_000, nanoClock);
    }

    /** The remembered answer for a key, without asking the database; null if there is none. */
    public KeyCheck remembered(String apiKey) {
        return apiKey == null ? null : checked.getIfPresent(ApiKeys.hash(apiKey));
    }

    public KeyCheck check(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            return new KeyCheck.Unknown();
        }
        return checked.get(ApiKeys.hash(apiKey), hash -> workspaces.authenticate(apiKey));
    }
}
