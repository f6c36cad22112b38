package dev.mailpulse.core.failure;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stages of the pipeline, in the order an event passes them; a failure names the one it failed at. The live
 * cache's and the alert evaluator's failures are never kept (the store keeps the same items), so
 * {@code failed_events} holds the first four.
 */
public enum Stage {
    COLLECT("collect"),
    VALIDATE("validate"),
    ENRICH("enrich"),
    STORE("store"),
    CACHE("cache"),
    ALERT("alert");

    private final String wireName;

    Stage(String wireName) {
        this.wireName = wireName;
    }

    /** As stored and shown ({@code failed_events.stage}, the failures' JSON, the CLI). */
    public String wireName() {
        return wireName;
    }

    public static Optional<Stage> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
    }
}
