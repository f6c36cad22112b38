package dev.mailpulse.collector.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.mailpulse.collector.ingest.Answer;

/** The body of every refusal: the HTTP status, what was wrong, and where (a header, the body, a field, an item). */
record ApiError(int status, String reason, String where) {

    /** An answer as the HTTP response: {@code success} with the accepted body, or the refusal with its Retry-After. */
    static ResponseEntity<Object> response(Answer answer, HttpStatus success) {
        if (answer instanceof Answer.Accepted accepted) {
            return ResponseEntity.status(success).body(accepted);
        }
        Answer.Refused refused = (Answer.Refused) answer;
        ResponseEntity.BodyBuilder response = ResponseEntity.status(refused.status());
        if (refused.retryAfterSeconds() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
        }
        return response.body(new ApiError(refused.status(), refused.reason(), refused.where()));
    }

    static ResponseEntity<Object> refuse(HttpStatus status, String reason, String where) {
        return response(Answer.Refused.of(status.value(), reason, where), HttpStatus.OK);
    }

    /** A refusal the client should retry after {@code retryAfterSeconds}. */
    static ResponseEntity<Object> refuse(HttpStatus status, String reason, String where, long retryAfterSeconds) {
        return response(new Answer.Refused(status.value(), reason, where, retryAfterSeconds), HttpStatus.OK);
    }
}
