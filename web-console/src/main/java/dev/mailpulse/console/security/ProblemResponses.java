package dev.mailpulse.console.security;

import java.io.IOException;
import java.net.URI;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Refusals written before a controller is reached (no key, a wrong key, a scope too narrow), as RFC 9457 problem details. */
public final class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    /** Seconds a client is asked to wait while a store is out of reach. */
    public static final int RETRY_AFTER_OUTAGE_SECONDS = 5;
    public static final String OUTAGE = "the store is out of reach for a moment; retry after the Retry-After seconds";

    /** Whether a failure is a store out of reach (the database or Redis), which the client may retry, not a fault of ours. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotGetJdbcConnectionException
                    || cause instanceof java.sql.SQLTransientConnectionException || cause instanceof RedisConnectionFailureException) {
                return true;
            }
        }
        return false;
    }

    void writeUnavailable(HttpServletResponse response, String requestUri) throws IOException {
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_OUTAGE_SECONDS));
        write(response, HttpStatus.SERVICE_UNAVAILABLE, OUTAGE, requestUri);
    }

    void write(HttpServletResponse response, HttpStatus status, String detail, String requestUri) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(requestUri));
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"mailpulse\"");
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
