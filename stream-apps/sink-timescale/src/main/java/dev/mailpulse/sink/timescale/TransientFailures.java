package dev.mailpulse.sink.timescale;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a database failure that will pass (the server is down, restarting, overloaded, or picked this transaction to
 * break a deadlock) from one that will not (the data breaks a constraint): the first is retried, the second is not.
 */
final class TransientFailures {

    /** SQLSTATE classes: connection exception, operator intervention, insufficient resources, system error. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "57", "53", "58");
    /** serialization_failure, deadlock_detected. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01");

    private TransientFailures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return TRANSIENT_STATES.contains(state) || state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2));
            }
        }
        return false;
    }
}
