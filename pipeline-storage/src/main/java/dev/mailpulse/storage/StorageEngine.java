package dev.mailpulse.storage;

import java.util.List;
import java.util.Locale;

/**
 * The database engine under the read model. Chosen once, when the schema is first migrated; readers never ask.
 */
public enum StorageEngine {
    /** Plain PostgreSQL: the read model is kept by a trigger on the raw store. */
    POSTGRESQL("classpath:db/migration/common", "classpath:db/migration/postgresql"),
    /** TimescaleDB: a hypertable with compression and retention, and continuous aggregates. */
    TIMESCALEDB("classpath:db/migration/common", "classpath:db/timescaledb");

    private final List<String> migrationLocations;

    StorageEngine(String... migrationLocations) {
        this.migrationLocations = List.of(migrationLocations);
    }

    public List<String> migrationLocations() {
        return migrationLocations;
    }

    /** The name stored in the {@code storage_engine} view. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StorageEngine fromSqlName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
