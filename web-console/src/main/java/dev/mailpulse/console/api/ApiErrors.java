package dev.mailpulse.console.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.mailpulse.alerting.InvalidRule;
import dev.mailpulse.console.security.ProblemResponses;

/**
 * The API's refusals as RFC 9457 problem details: a request it cannot answer as asked (a range too long, a page too
 * big, a cursor not its own) is a 400 saying which parameter and why; what is not in the caller's workspace is a 404;
 * what its state forbids (a decision already taken) a 409.
 * Spring's own (a missing or unreadable parameter) are problem details too ({@code spring.mvc.problemdetails}).
 */
@RestControllerAdvice(basePackages = "dev.mailpulse.console.api")
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    /** A rule refused: the field it names is a property of the problem, for a client to point at. */
    @ExceptionHandler(InvalidRule.class)
    ProblemDetail invalidRule(InvalidRule e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("field", e.field());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /**
     * The database or Redis out of reach is a moment's outage the client may wait out (503 with {@code Retry-After});
     * any other failure to read is ours (500), logged, its details kept from the client.
     */
    @ExceptionHandler({org.springframework.dao.DataAccessException.class, org.jooq.exception.DataAccessException.class})
    ResponseEntity<ProblemDetail> storeFailed(RuntimeException e) {
        if (ProblemResponses.isOutage(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(ProblemResponses.RETRY_AFTER_OUTAGE_SECONDS))
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ProblemResponses.OUTAGE));
        }
        log.error("reading the store failed", e);
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "the answer failed"));
    }

    @ExceptionHandler(NotInWorkspace.class)
    ProblemDetail notFound(NotInWorkspace e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(Conflict.class)
    ProblemDetail conflict(Conflict e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
