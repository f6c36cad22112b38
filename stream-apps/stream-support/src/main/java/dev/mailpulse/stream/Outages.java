package dev.mailpulse.stream;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells an outage (PostgreSQL, Redis or the broker is down, restarting, overloaded, or broke a deadlock) from a
 * failure that will not pass by itself: an outage is retried, holding the message, and never dead-letters it.
 */
public final class Outages {

    /** SQLSTATE classes: connection exception, operator intervention, insufficient resources, system error. */
    private static final Set<String> SQL_CLASSES = Set.of("08", "57", "53", "58");
    /** serialization_failure, deadlock_detected. */
    private static final Set<String> SQL_STATES = Set.of("40001", "40P01");
    /** Lettuce's exceptions for a lost or unanswered connection; named, so that this class needs no Redis client. */
    private static final Set<String> REDIS_CONNECTION_FAILURES = Set.of("io.lettuce.core.RedisConnectionException",
            "io.lettuce.core.RedisCommandTimeoutException", "io.lettuce.core.RedisCommandInterruptedException");
    /** Replies of a Redis that is starting or failing over. */
    private static final Set<String> REDIS_PASSING_REPLIES = Set.of("LOADING", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN");

    private Outages() {
    }

    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return sql instanceof SQLTransientException || SQL_STATES.contains(state)
                        || state.length() >= 2 && SQL_CLASSES.contains(state.substring(0, 2));
            }
            if (cause instanceof SQLTransientException || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof BrokerUnavailableException || cause instanceof IOException
                    || REDIS_CONNECTION_FAILURES.contains(cause.getClass().getName())
                    || isPassingRedisReply(cause)) {
                return true;
            }
            if (cause.getClass().getName().equals("io.lettuce.core.RedisException")
                    && String.valueOf(cause.getMessage()).startsWith("Connection")) {
                return true; // "Connection closed", "Connection reset by peer": the command was cut off
            }
        }
        return false;
    }

    private static boolean isPassingRedisReply(Throwable cause) {
        if (!cause.getClass().getName().equals("io.lettuce.core.RedisCommandExecutionException") || cause.getMessage() == null) {
            return false;
        }
        String reply = cause.getMessage().split(" ", 2)[0];
        return REDIS_PASSING_REPLIES.contains(reply);
    }
}
