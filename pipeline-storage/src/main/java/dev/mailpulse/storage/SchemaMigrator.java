package dev.mailpulse.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the current schema: creates the database if it is missing, chooses the engine of the read
 * model, and applies the Flyway migrations of that engine.
 *
 * <p>The engine is TimescaleDB where the extension can be used (installed in the database, or available and
 * preloaded by the server), plain PostgreSQL otherwise, unless {@code MAILPULSE_DB_ENGINE} says which. A database
 * already migrated keeps the engine it was migrated with, which its {@code storage_engine} view records.
 */
public final class SchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String DUPLICATE_DATABASE = "42P04";

    private final DatabaseSettings database;
    private final StorageSettings storage;

    public SchemaMigrator(DatabaseSettings database, StorageSettings storage) {
        this.database = database;
        this.storage = storage;
    }

    public record Outcome(StorageEngine engine, int migrationsApplied, String schemaVersion, boolean databaseCreated) {
    }

    /** Migrates the database at {@code url} with the default storage settings. */
    public static Outcome migrate(String url, String user, String password) throws SQLException {
        return new SchemaMigrator(new DatabaseSettings(url, user, password), StorageSettings.defaults()).migrate();
    }

    public Outcome migrate() throws SQLException {
        boolean created = createDatabaseIfMissing();
        StorageEngine engine;
        try (Connection connection = connect(database)) {
            engine = chooseEngine(connection);
        }
        log.info("Migrating {} on {}", database.databaseName(), engine.sqlName());
        Flyway flyway = Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations(engine.migrationLocations().toArray(String[]::new))
                .placeholders(storage.placeholders())
                .load();
        MigrateResult result = flyway.migrate();
        return new Outcome(engine, result.migrationsExecuted, result.targetSchemaVersion != null
                ? result.targetSchemaVersion : flyway.info().current().getVersion().getVersion(), created);
    }

    /** The engine the database was migrated with, if it was. */
    public static Optional<StorageEngine> migratedEngine(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT to_regclass('storage_engine') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet engine = statement.executeQuery("SELECT engine FROM storage_engine")) {
            return engine.next() ? Optional.of(StorageEngine.fromSqlName(engine.getString(1))) : Optional.empty();
        }
    }

    StorageEngine chooseEngine(Connection connection) throws SQLException {
        Optional<StorageEngine> migrated = migratedEngine(connection);
        boolean timescaleUsable = timescaleUsable(connection);
        if (migrated.isPresent()) {
            if (!storage.engine().equals("auto") && !storage.engine().equals(migrated.get().sqlName())) {
                throw new IllegalStateException("MAILPULSE_DB_ENGINE=" + storage.engine() + " but " + database.databaseName()
                        + " was migrated on " + migrated.get().sqlName() + "; converting a populated database is a manual step");
            }
            return migrated.get();
        }
        return switch (storage.engine()) {
            case "postgresql" -> StorageEngine.POSTGRESQL;
            case "timescaledb" -> {
                if (!timescaleUsable) {
                    throw new IllegalStateException("MAILPULSE_DB_ENGINE=timescaledb but the server cannot load the "
                            + "timescaledb extension (not installed, or not in shared_preload_libraries)");
                }
                yield StorageEngine.TIMESCALEDB;
            }
            default -> timescaleUsable ? StorageEngine.TIMESCALEDB : StorageEngine.POSTGRESQL;
        };
    }

    /**
     * The extension works only if it is installed here already, or if its package is on the server and the server
     * preloads its library; an available but not preloaded package cannot be created.
     */
    static boolean timescaleUsable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("""
                     SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
                         OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
                             AND current_setting('shared_preload_libraries') ~ '(^|[ ,])timescaledb([ ,]|$)')
                     """)) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private boolean createDatabaseIfMissing() throws SQLException {
        String name = database.databaseName();
        try (Connection connection = connect(database.onMaintenanceDatabase())) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet result = exists.executeQuery()) {
                    if (result.next()) {
                        return false;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
                log.info("Created database {}", name);
                return true;
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    return false; // created concurrently by another migrator
                }
                throw e;
            }
        }
    }

    private static Connection connect(DatabaseSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
    }
}
