package dev.mailpulse.collector.ingest;

/** The body of every refusal: the HTTP status, what was wrong, and where (a header, the body, a field, an item). */
public record ApiError(int status, String reason, String where) {
}
