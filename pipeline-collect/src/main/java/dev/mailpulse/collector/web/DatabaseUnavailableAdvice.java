package dev.mailpulse.collector.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.mailpulse.collector.CollectorProperties;

/**
 * While the database cannot be reached, keys and webhook credentials cannot be checked: the caller is told so with a
 * 503 and when to retry (nothing was taken), as for a broker outage, instead of a bare 500.
 */
@RestControllerAdvice
public class DatabaseUnavailableAdvice {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableAdvice.class);

    private final long retryAfterSeconds;

    public DatabaseUnavailableAdvice(CollectorProperties properties) {
        this.retryAfterSeconds = properties.retryAfter().toSeconds();
    }

    // Only the failures of reaching the database: any other error of the database is a bug, a 500, not "retry later".
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class, RecoverableDataAccessException.class})
    ResponseEntity<Object> databaseUnavailable(RuntimeException e) {
        log.warn("The database could not be reached to check a caller: {}", e.getMessage());
        return ApiError.refuse(HttpStatus.SERVICE_UNAVAILABLE, "credentials cannot be checked now (the database is unavailable); "
                + "nothing was taken, retry later", "database", retryAfterSeconds);
    }
}
