package dev.mailpulse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.testing.TestDatabase;

class SchemaMigratorTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    /** The migrations there are, each a version: V13 is the last. */
    private static final int LATEST = 19;

    @Test
    void migratesAnEmptyPlainPostgresDatabaseOnceAndKnowsItsEngine() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(settings(DB.jdbcUrl()), StorageSettings.defaults());
        SchemaMigrator.Outcome first = migrator.migrate();
        assertThat(first.engine()).isEqualTo(StorageEngine.POSTGRESQL);
        assertThat(first.migrationsApplied()).isEqualTo(LATEST);
        assertThat(first.databaseCreated()).isFalse();

        SchemaMigrator.Outcome again = migrator.migrate();
        assertThat(again.migrationsApplied()).isZero();
        assertThat(again.schemaVersion()).isEqualTo(Integer.toString(LATEST));
        try (Connection connection = DB.connect()) {
            assertThat(SchemaMigrator.migratedEngine(connection)).contains(StorageEngine.POSTGRESQL);
            assertThat(ReadModelShape.of(connection)).isEqualTo(ReadModelShape.EXPECTED);
        }
    }

    @Test
    void createsTheDatabaseWhenItIsMissing() throws SQLException {
        String name = "mp_t_created_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = DB.jdbcUrl().replace("/" + DB.name(), "/" + name);
        try {
            SchemaMigrator.Outcome outcome = new SchemaMigrator(settings(url), StorageSettings.defaults()).migrate();
            assertThat(outcome.databaseCreated()).isTrue();
            assertThat(outcome.migrationsApplied()).isEqualTo(LATEST);
        } finally {
            try (Connection connection = DriverManager.getConnection(settings(url).onMaintenanceDatabase().url(), DB.user(), DB.password())) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void refusesTimescaleWhereTheServerCannotLoadIt() throws SQLException {
        try (Connection connection = DB.connect()) {
            org.junit.jupiter.api.Assumptions.assumeFalse(SchemaMigrator.timescaleUsable(connection),
                    "this server can load TimescaleDB");
        }
        SchemaMigrator migrator = new SchemaMigrator(settings(DB.jdbcUrl()),
                StorageSettings.fromEnvironment(Map.of("MAILPULSE_DB_ENGINE", "timescaledb")));
        assertThatThrownBy(migrator::migrate)
                .hasMessageContaining("MAILPULSE_DB_ENGINE=timescaledb");
    }

    @Test
    void refusesIntervalsThatAreNotIntervals() {
        assertThatThrownBy(() -> StorageSettings.fromEnvironment(Map.of("MAILPULSE_EVENTS_RETENTION", "1 day'); DROP TABLE events; --")))
                .hasMessageContaining("MAILPULSE_EVENTS_RETENTION");
        assertThatThrownBy(() -> StorageSettings.fromEnvironment(Map.of("MAILPULSE_DB_ENGINE", "mysql")))
                .hasMessageContaining("MAILPULSE_DB_ENGINE");
    }

    @Test
    void readsTheDatabaseSettingsFromTheEnvironment() {
        assertThat(DatabaseSettings.fromEnvironment(Map.of()).url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/mailpulse");
        DatabaseSettings custom = DatabaseSettings.fromEnvironment(Map.of(
                "MAILPULSE_DB_URL", "jdbc:postgresql://db:5433/analytics?sslmode=require", "MAILPULSE_DB_USER", "mp"));
        assertThat(custom.databaseName()).isEqualTo("analytics");
        assertThat(custom.onMaintenanceDatabase().url()).isEqualTo("jdbc:postgresql://db:5433/postgres?sslmode=require");
        assertThat(custom.user()).isEqualTo("mp");
        assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("MAILPULSE_DB_URL", "jdbc:mysql://x/y")))
                .hasMessageContaining("jdbc:postgresql://");
    }

    private static DatabaseSettings settings(String url) {
        return new DatabaseSettings(url, DB.user(), DB.password());
    }
}
