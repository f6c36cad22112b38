package dev.mailpulse.collector.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the collector answers a request, before it is HTTP: its events taken, or the whole request refused. */
public sealed interface Answer {

    /** The request's events were taken (the broker confirmed them); the items that were not are named. */
    record Accepted(int accepted, List<Rejection> rejected) implements Answer {
    }

    /** An item of a request that is not taken, by its 0-based index in the request, and the field at fault. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Rejection(int index, String reason, String field) {
    }

    /**
     * Nothing was taken: the status (an HTTP status code), why, where (a header, the body, a field), and for a refusal
     * the sender should retry, after how many seconds (0 for none).
     */
    record Refused(int status, String reason, String where, long retryAfterSeconds) implements Answer {

        public static Refused of(int status, String reason, String where) {
            return new Refused(status, reason, where, 0);
        }
    }
}
