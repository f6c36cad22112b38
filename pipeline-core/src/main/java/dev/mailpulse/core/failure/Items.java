package dev.mailpulse.core.failure;

import java.util.List;

/**
 * A message's items as a stage leaves them: those the next stage carries on with, and a failure (stage, reason,
 * field, the storable payload) for each one that stopped here. One bad item costs only itself.
 */
public record Items<T>(List<T> items, List<FailedEvent> failures) {

    public Items {
        items = List.copyOf(items);
        failures = List.copyOf(failures);
    }

    public static <T> Items<T> of(List<T> items) {
        return new Items<>(items, List.of());
    }
}
