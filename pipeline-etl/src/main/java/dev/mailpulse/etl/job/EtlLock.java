package dev.mailpulse.etl.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The one lock a live ETL run holds for its whole life: a PostgreSQL session advisory lock on a connection of its
 * own. The database releases it when the process dies however it dies ({@code kill -9} too), so a run that gets it
 * knows that any execution still marked STARTED belongs to a process that is gone; a run that cannot get it knows
 * another one is alive.
 */
final class EtlLock implements AutoCloseable {

    /** The lock's key: the first eight bytes of "mailpulse.daily-etl"'s name, fixed. */
    static final long KEY = 0x6d61696c70756c73L;

    private final Connection connection;

    private EtlLock(Connection connection) {
        this.connection = connection;
    }

    /** The lock if no other run holds it. */
    static Optional<EtlLock> tryAcquire(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, KEY);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        return Optional.of(new EtlLock(connection));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    @Override
    public void close() throws SQLException {
        try (connection; PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, KEY);
            statement.execute();
        }
    }
}
