package dev.mailpulse.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A database of its own for one test class, created empty before its tests and dropped after them.
 *
 * <p>{@link #postgres()} is plain PostgreSQL. {@link #timescale()} is PostgreSQL with the TimescaleDB extension; where
 * none can be had, every test of the class is aborted (reported as skipped) with the reason. Servers come from Testcontainers
 * when a Docker engine answers; otherwise from the local machine:
 * {@code MAILPULSE_TEST_DB_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user postgres) and, for
 * TimescaleDB, {@code MAILPULSE_TEST_TIMESCALE_URL}, or the local server itself if it preloads timescaledb.
 *
 * <pre>{@code @RegisterExtension static final TestDatabase DB = TestDatabase.postgres();}</pre>
 */
public final class TestDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final String POSTGRES_IMAGE = "postgres:15-alpine";
    private static final String TIMESCALE_IMAGE = "timescale/timescaledb:2.28.3-pg15";

    /** What a test class needs done to its database once it exists, such as applying the schema. */
    @FunctionalInterface
    public interface Preparation {
        void prepare(TestDatabase database) throws Exception;
    }

    private final boolean timescale;
    private Preparation preparation = database -> {
    };
    private Server server;
    private String name;
    private TestAbortedException unavailable;

    private TestDatabase(boolean timescale) {
        this.timescale = timescale;
    }

    public static TestDatabase postgres() {
        return new TestDatabase(false);
    }

    public static TestDatabase timescale() {
        return new TestDatabase(true);
    }

    /** Runs {@code preparation} on the database right after it is created. */
    public TestDatabase preparedWith(Preparation preparation) {
        this.preparation = preparation;
        return this;
    }

    /** Hands the database to a Spring Boot test as its data source. */
    public void registerDataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.username", this::user);
        registry.add("spring.datasource.password", this::password);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            open(context.getRequiredTestClass().getSimpleName());
        } catch (TestAbortedException e) {
            unavailable = e; // aborting each test, not the class, gets every test reported as skipped with the reason
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (unavailable != null) {
            throw unavailable;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Creates the database; {@code owner} becomes part of its name so that leftovers say where they came from. */
    public void open(String owner) {
        server = timescale ? Servers.timescale() : Servers.postgres();
        String shortOwner = owner.length() > 40 ? owner.substring(0, 40) : owner; // database names stop at 63 bytes
        name = ("mp_t_" + shortOwner + "_" + Docker.uniqueSuffix()).toLowerCase(Locale.ROOT);
        server.execute("CREATE DATABASE \"" + name + "\"");
        try {
            preparation.prepare(this);
        } catch (Exception e) {
            throw new IllegalStateException("preparing " + name + " failed: " + e.getMessage(), e);
        }
    }

    public void close() {
        if (name != null) {
            server.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            name = null;
        }
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.urlOf(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(user());
        dataSource.setPassword(password());
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** Every row of every table the database holds (any schema but the system's), as text: what a dump would show. */
    public String dump() throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery("SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
                    + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rows.next()) {
                        dump.append(table).append(' ').append(rows.getString(1)).append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }

    /** A PostgreSQL server that test databases are created on, through its maintenance database. */
    record Server(String adminUrl, String user, String password) {

        String urlOf(String database) {
            int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
            int query = adminUrl.indexOf('?', slash);
            return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on " + adminUrl + ": " + e.getMessage(), e);
            }
        }

        boolean preloadsTimescale() {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                 Statement statement = connection.createStatement();
                 var result = statement.executeQuery(
                         "SELECT current_setting('shared_preload_libraries') LIKE '%timescaledb%'"
                                 + " AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')")) {
                return result.next() && result.getBoolean(1);
            } catch (SQLException e) {
                return false;
            }
        }
    }

    /** One server of each kind per test JVM, started lazily. */
    static final class Servers {

        private static Server postgres;
        private static Server timescale;

        private Servers() {
        }

        static synchronized Server postgres() {
            if (postgres == null) {
                postgres = Docker.available() ? container(POSTGRES_IMAGE) : local();
            }
            return postgres;
        }

        static synchronized Server timescale() {
            if (timescale == null) {
                timescale = findTimescale();
            }
            return timescale;
        }

        private static Server findTimescale() {
            if (Docker.available()) {
                return container(TIMESCALE_IMAGE);
            }
            String configured = System.getenv("MAILPULSE_TEST_TIMESCALE_URL");
            if (configured != null && !configured.isBlank()) {
                Server server = new Server(configured, Docker.env("MAILPULSE_TEST_TIMESCALE_USER", "postgres"),
                        Docker.env("MAILPULSE_TEST_TIMESCALE_PASSWORD", ""));
                if (!server.preloadsTimescale()) {
                    throw new TestAbortedException("TimescaleDB is not available: the server at MAILPULSE_TEST_TIMESCALE_URL="
                            + configured + " does not answer or does not preload the timescaledb library");
                }
                return server;
            }
            Server local = local();
            if (local.preloadsTimescale()) {
                return local;
            }
            throw new TestAbortedException("TimescaleDB is not available: no Docker engine for Testcontainers, "
                    + "MAILPULSE_TEST_TIMESCALE_URL is not set, and the local PostgreSQL does not preload timescaledb");
        }

        private static Server local() {
            return new Server(Docker.env("MAILPULSE_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                    Docker.env("MAILPULSE_TEST_DB_USER", "postgres"), Docker.env("MAILPULSE_TEST_DB_PASSWORD", ""));
        }

        @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
        private static Server container(String image) {
            PostgreSQLContainer container = new PostgreSQLContainer(
                    DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
            container.start();
            String url = container.getJdbcUrl();
            String admin = new Server(url, container.getUsername(), container.getPassword()).urlOf("postgres");
            return new Server(admin, container.getUsername(), container.getPassword());
        }
    }
}
