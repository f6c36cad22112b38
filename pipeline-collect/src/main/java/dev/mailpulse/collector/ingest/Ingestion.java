package dev.mailpulse.collector.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.stream.BrokerUnavailableException;
import dev.mailpulse.stream.ConfirmedPublisher;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import tools.jackson.databind.node.ObjectNode;

/**
 * The common end of every entry point: rate limit, complete, publish with confirms, and answer. An answer of 2xx
 * means the broker has confirmed every accepted event; 429 and 503 mean nothing was taken and the sender retries.
 */
public final class Ingestion {

    /** Events read from a request, with the index each had in it. */
    public record Item(int index, ObjectNode event) {
    }

    private final CollectedEvents collectedEvents;
    private final WorkspaceRateLimiter rateLimiter;
    private final ConfirmedPublisher publisher;
    private final ConfirmedPublisher failurePublisher;
    private final IngestMetrics metrics;
    private final Duration retryAfter;
    private final Clock clock;

    public Ingestion(CollectedEvents collectedEvents, WorkspaceRateLimiter rateLimiter, ConfirmedPublisher publisher,
                     ConfirmedPublisher failurePublisher, IngestMetrics metrics, Duration retryAfter, Clock clock) {
        this.collectedEvents = collectedEvents;
        this.rateLimiter = rateLimiter;
        this.publisher = publisher;
        this.failurePublisher = failurePublisher;
        this.metrics = metrics;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /**
     * Takes a request's readable items and its items already found unusable; every item that is not taken is named in
     * the answer and kept as a failed event. Nothing an item holds makes this throw.
     */
    public Answer ingest(Workspace workspace, EventSource source, List<Item> items, List<ItemFailure> unusable) {
        Duration wait = rateLimiter.acquire(workspace, items.size() + unusable.size());
        if (!wait.isZero()) {
            metrics.record(workspace.name(), source.wireName(), "rate_limited", items.size());
            return new Answer.Refused(429, "workspace " + workspace.name() + " is over its ingestion rate",
                    "workspace", Math.max(1, wait.toSeconds() + (wait.toSecondsPart() > 0 || wait.toMillisPart() > 0 ? 1 : 0)));
        }
        Instant receivedAt = clock.instant();
        List<ObjectNode> ready = new ArrayList<>(items.size());
        List<ItemFailure> failed = new ArrayList<>(unusable);
        for (Item item : items) {
            Optional<ItemFailure> failure;
            try {
                failure = collectedEvents.complete(item.event(), workspace, source, receivedAt)
                        .map(refusal -> ItemFailure.of(item.index(), refusal.reason(), refusal.field(), refusal.message(), item.event()));
            } catch (RuntimeException e) {
                collectedEvents.withholdRecipient(item.event(), workspace, source);
                failure = Optional.of(ItemFailure.of(item.index(), FailureReason.PROCESSING_ERROR, null,
                        "the collector could not read this event: " + e.getMessage(), item.event()));
            }
            failure.ifPresentOrElse(failed::add, () -> ready.add(item.event()));
        }
        try {
            publisher.publish(ready);
            failurePublisher.publish(failed.stream().map(f -> FailedEventJson.toJson(new FailedEvent(workspace.id(), null,
                    Stage.COLLECT, f.reason(), f.field(), f.message(), collectedEvents.withheld(f.payload(), workspace, source),
                    collectedEvents.withheld(f.rawPayload(), workspace)))).toList());
        } catch (BrokerUnavailableException e) {
            metrics.record(workspace.name(), source.wireName(), "broker_unavailable", ready.size());
            return new Answer.Refused(503, "events cannot be stored safely now (" + e.getMessage()
                    + "); nothing was taken, retry later", "broker", retryAfter.toSeconds());
        }
        metrics.record(workspace.name(), source.wireName(), "accepted", ready.size());
        metrics.record(workspace.name(), source.wireName(), "rejected", failed.size());
        List<Answer.Rejection> rejected = failed.stream().sorted(Comparator.comparingInt(ItemFailure::index))
                .map(f -> new Answer.Rejection(f.index(), f.message(), f.field())).toList();
        return new Answer.Accepted(ready.size(), rejected);
    }
}
