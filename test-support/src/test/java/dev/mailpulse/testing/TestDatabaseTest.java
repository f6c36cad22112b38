package dev.mailpulse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class TestDatabaseTest {

    @Test
    void everyInstanceGetsItsOwnEmptyDatabaseWhichIsDroppedAfter() throws SQLException {
        TestDatabase first = TestDatabase.postgres();
        TestDatabase second = TestDatabase.postgres();
        first.open("isolation");
        second.open("isolation");
        try {
            assertThat(first.name()).isNotEqualTo(second.name());
            try (Connection connection = first.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE only_here (id int)");
            }
            try (Connection connection = second.connect(); Statement statement = connection.createStatement();
                 ResultSet tables = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'")) {
                tables.next();
                assertThat(tables.getInt(1)).isZero();
            }
        } finally {
            second.close();
        }
        String firstName = first.name();
        first.close();
        TestDatabase.Server server = TestDatabase.Servers.postgres();
        try (Connection connection = java.sql.DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
             Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + firstName + "'")) {
            exists.next();
            assertThat(exists.getInt(1)).isZero();
        }
    }

    @Test
    void buildsDatabaseUrlsFromTheServerUrl() {
        TestDatabase.Server server = new TestDatabase.Server("jdbc:postgresql://db.local:6543/postgres?ssl=false", "u", "p");
        assertThat(server.urlOf("mp_t_x")).isEqualTo("jdbc:postgresql://db.local:6543/mp_t_x?ssl=false");
    }
}
