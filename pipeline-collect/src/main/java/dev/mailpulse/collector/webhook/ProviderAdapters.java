package dev.mailpulse.collector.webhook;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of provider adapters, by the provider's name in {@code /v1/webhooks/{provider}/{workspace}}. */
public final class ProviderAdapters {

    private final Map<String, ProviderAdapter> byName;

    public ProviderAdapters(List<ProviderAdapter> adapters) {
        this.byName = adapters.stream().collect(Collectors.toUnmodifiableMap(a -> a.source().wireName(), Function.identity()));
    }

    public Optional<ProviderAdapter> find(String provider) {
        return Optional.ofNullable(byName.get(provider));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
