package dev.mailpulse.console.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The API's refusals as RFC 9457 problem details: a request it cannot answer as asked (a range too long, a page too
 * big, a cursor not its own) is a 400 saying which parameter and why; what is not in the caller's workspace is a 404.
 * Spring's own (a missing or unreadable parameter) are problem details too ({@code spring.mvc.problemdetails}).
 */
@RestControllerAdvice(basePackages = "dev.mailpulse.console.api")
class ApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NotInWorkspace.class)
    ProblemDetail notFound(NotInWorkspace e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
