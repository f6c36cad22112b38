package dev.mailpulse.collector.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.mailpulse.stream.BrokerUnavailableException;
import dev.mailpulse.stream.ConfirmedPublisher;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import tools.jackson.databind.node.ObjectNode;

/**
 * The common end of every entry point: rate limit, complete, publish with confirms, and answer. An answer of 2xx
 * means the broker has confirmed every accepted event; 429 and 503 mean nothing was taken and the sender retries.
 */
public final class Ingestion {

    /** An item of a request that is not taken, by its 0-based index in the request. */
    public record Rejection(int index, String reason) {
    }

    /** The answer to a request whose events were taken. */
    public record Accepted(int accepted, List<Rejection> rejected) {
    }

    /** Events read from a request, with the index each had in it. */
    public record Item(int index, ObjectNode event) {
    }

    private final CollectedEvents collectedEvents;
    private final WorkspaceRateLimiter rateLimiter;
    private final ConfirmedPublisher publisher;
    private final IngestMetrics metrics;
    private final Duration retryAfter;
    private final Clock clock;

    public Ingestion(CollectedEvents collectedEvents, WorkspaceRateLimiter rateLimiter, ConfirmedPublisher publisher,
                     IngestMetrics metrics, Duration retryAfter, Clock clock) {
        this.collectedEvents = collectedEvents;
        this.rateLimiter = rateLimiter;
        this.publisher = publisher;
        this.metrics = metrics;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    public ResponseEntity<Object> ingest(Workspace workspace, EventSource source, List<Item> items, List<Rejection> unreadable,
                                         HttpStatus success) {
        Duration wait = rateLimiter.acquire(workspace, items.size());
        if (!wait.isZero()) {
            metrics.record(workspace.name(), source.wireName(), "rate_limited", items.size());
            return refuse(HttpStatus.TOO_MANY_REQUESTS, "workspace " + workspace.name() + " is over its ingestion rate",
                    "workspace", Math.max(1, wait.toSeconds() + (wait.toSecondsPart() > 0 || wait.toMillisPart() > 0 ? 1 : 0)));
        }
        Instant receivedAt = clock.instant();
        List<ObjectNode> ready = new ArrayList<>(items.size());
        List<Rejection> rejected = new ArrayList<>(unreadable);
        for (Item item : items) {
            Optional<String> rejection = collectedEvents.complete(item.event(), workspace, source, receivedAt);
            if (rejection.isPresent()) {
                rejected.add(new Rejection(item.index(), rejection.get()));
            } else {
                ready.add(item.event());
            }
        }
        try {
            publisher.publish(ready);
        } catch (BrokerUnavailableException e) {
            metrics.record(workspace.name(), source.wireName(), "broker_unavailable", ready.size());
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "events cannot be stored safely now (" + e.getMessage()
                    + "); nothing was taken, retry later", "broker", retryAfter.toSeconds());
        }
        metrics.record(workspace.name(), source.wireName(), "accepted", ready.size());
        metrics.record(workspace.name(), source.wireName(), "rejected", rejected.size());
        rejected.sort(java.util.Comparator.comparingInt(Rejection::index));
        return ResponseEntity.status(success).body(new Accepted(ready.size(), rejected));
    }

    public static ResponseEntity<Object> refuse(HttpStatus status, String reason, String where) {
        return ResponseEntity.status(status).body(new ApiError(status.value(), reason, where));
    }

    /** A refusal the client should retry after {@code retryAfterSeconds}. */
    public static ResponseEntity<Object> refuse(HttpStatus status, String reason, String where, long retryAfterSeconds) {
        return ResponseEntity.status(status).header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(new ApiError(status.value(), reason, where));
    }
}
