package dev.mailpulse.storage;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings of the schema itself: which engine to use ({@code MAILPULSE_DB_ENGINE}: auto, postgresql or timescaledb)
 * and, on TimescaleDB, the raw store's chunk interval, when chunks are compressed, how long raw events are kept, and
 * how far back the continuous aggregates' refresh looks for late events (it must exceed the validator's maximum
 * event age).
 */
public record StorageSettings(
        String engine,
        String eventsChunkInterval,
        String eventsCompressAfter,
        String eventsRetention,
        String refreshLookback) {

    private static final Pattern INTERVAL = Pattern.compile("^[1-9][0-9]{0,5} (minute|hour|day|week|month|year)s?$");

    public StorageSettings {
        if (!engine.matches("auto|postgresql|timescaledb")) {
            throw new IllegalArgumentException("MAILPULSE_DB_ENGINE must be auto, postgresql or timescaledb, was " + engine);
        }
        requireInterval("MAILPULSE_EVENTS_CHUNK_INTERVAL", eventsChunkInterval);
        requireInterval("MAILPULSE_EVENTS_COMPRESS_AFTER", eventsCompressAfter);
        requireInterval("MAILPULSE_EVENTS_RETENTION", eventsRetention);
        requireInterval("MAILPULSE_READ_MODEL_REFRESH_LOOKBACK", refreshLookback);
    }

    public static StorageSettings defaults() {
        return fromEnvironment(Map.of());
    }

    public static StorageSettings fromEnvironment(Map<String, String> env) {
        return new StorageSettings(
                DatabaseSettings.valueOr(env, "MAILPULSE_DB_ENGINE", "auto"),
                DatabaseSettings.valueOr(env, "MAILPULSE_EVENTS_CHUNK_INTERVAL", "1 day"),
                DatabaseSettings.valueOr(env, "MAILPULSE_EVENTS_COMPRESS_AFTER", "7 days"),
                DatabaseSettings.valueOr(env, "MAILPULSE_EVENTS_RETENTION", "400 days"),
                DatabaseSettings.valueOr(env, "MAILPULSE_READ_MODEL_REFRESH_LOOKBACK", "32 days"));
    }

    /** Flyway placeholders of the TimescaleDB migrations. */
    Map<String, String> placeholders() {
        return Map.of(
                "events_chunk_interval", eventsChunkInterval,
                "events_compress_after", eventsCompressAfter,
                "events_retention", eventsRetention,
                "refresh_lookback", refreshLookback);
    }

    // Placeholders are pasted into SQL: only a plain "<n> <unit>" is let through.
    private static void requireInterval(String name, String value) {
        if (value == null || !INTERVAL.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must look like '7 days' or '12 hours', was " + value);
        }
    }
}
