package dev.mailpulse.console.pages;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

import dev.mailpulse.console.security.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A page asked for with a parameter it cannot read (a date that is not one, a number of days that is not a number)
 * answers 400 with the console's error page saying which parameter, and a store out of reach 503 with
 * {@code Retry-After}, as the API does, instead of the API's problem details. Ahead of Spring Boot's problem-details
 * advice, which would otherwise answer for every controller.
 */
@ControllerAdvice(annotations = ConsolePage.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    @ExceptionHandler(TypeMismatchException.class)
    ModelAndView unreadable(TypeMismatchException e) {
        return page(HttpStatus.BAD_REQUEST, e.getPropertyName() + ": not " + (e.getRequiredType() == null ? "a value" : article(e.getRequiredType()))
                + " (" + e.getValue() + ")");
    }

    @ExceptionHandler(BindException.class)
    ModelAndView unbound(BindException e) {
        return page(HttpStatus.BAD_REQUEST, e.getFieldErrors().stream()
                .map(f -> f.getField() + ": not a value this page understands (" + f.getRejectedValue() + ")").findFirst()
                .orElse("the request's parameters are not ones this page understands"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missing(MissingServletRequestParameterException e) {
        return page(HttpStatus.BAD_REQUEST, e.getParameterName() + ": required");
    }

    @ExceptionHandler(AdminOnly.class)
    ModelAndView forbidden(AdminOnly e) {
        return page(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ModelAndView refused(IllegalArgumentException e) {
        return page(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({org.springframework.dao.DataAccessException.class, org.jooq.exception.DataAccessException.class})
    ModelAndView storeFailed(RuntimeException e, HttpServletResponse response) {
        if (ProblemResponses.isOutage(e)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(ProblemResponses.RETRY_AFTER_OUTAGE_SECONDS));
            return page(HttpStatus.SERVICE_UNAVAILABLE, ProblemResponses.OUTAGE);
        }
        log.error("rendering a page failed", e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, null);
    }

    private static ModelAndView page(HttpStatus status, String reason) {
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("reason", reason);
        return page;
    }

    private static String article(Class<?> type) {
        return switch (type.getSimpleName()) {
            case "LocalDate" -> "a date (YYYY-MM-DD)";
            case "Integer", "Long", "int", "long" -> "a whole number";
            default -> "a " + type.getSimpleName();
        };
    }
}
