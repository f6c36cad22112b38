package dev.mailpulse.validate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.core.validation.Validation;
import dev.mailpulse.storage.workspace.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What processor-validate does to a message of collected events, apart from publishing: each event validated (schema
 * and rules, failures typed with their reason), and those passed on before dropped. Used by the app's function and by
 * the composed pipeline. Events are remembered as passed only once the caller has passed them on.
 */
public final class EventScreening {

    /** A message's outcome: the valid events not seen before, and the failures. */
    public record Screened(List<Event> fresh, List<FailedEvent> failures) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventValidator validator;
    private final Deduplicator deduplicator;
    private final MeterRegistry metrics;

    public EventScreening(Workspaces workspaces, StringRedisTemplate redis, ValidateProperties properties, MeterRegistry metrics) {
        this.validator = new EventValidator(new EventSchemas(), new KnownWorkspaces(workspaces, properties.workspaceCacheTtl()),
                properties.maxFuture(), properties.maxAge(), Clock.systemUTC());
        this.deduplicator = new Deduplicator(redis, properties.dedupKeyPrefix(), properties.dedupWindow());
        this.metrics = metrics;
    }

    public Screened screen(byte[] payload) {
        List<Event> events = new ArrayList<>();
        List<FailedEvent> failures = new ArrayList<>();
        for (JsonNode item : items(payload, failures)) {
            Validation validation = validator.validate(item);
            if (validation instanceof Validation.Valid ok) {
                events.add(ok.event());
            } else {
                FailedEvent failure = ((Validation.Invalid) validation).failure();
                failures.add(failure);
                metrics.counter("mailpulse.validate.events", "outcome", "failed", "reason", failure.reason().code()).increment();
            }
        }
        List<Event> fresh = fresh(events, deduplicator.alreadyPassed(events));
        metrics.counter("mailpulse.validate.events", "outcome", "duplicate", "reason", "none").increment(events.size() - fresh.size());
        return new Screened(fresh, failures);
    }

    /** Called once the fresh events were passed on: from now on they are duplicates. */
    public void passed(List<Event> fresh) {
        deduplicator.remember(fresh);
        metrics.counter("mailpulse.validate.events", "outcome", "valid", "reason", "none").increment(fresh.size());
    }

    /** Drops the events passed on before, and the second of two copies within the same message. */
    private static List<Event> fresh(List<Event> events, Set<Integer> alreadyPassed) {
        Set<String> inMessage = new HashSet<>();
        List<Event> fresh = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (!alreadyPassed.contains(i) && inMessage.add(event.workspaceId() + "/" + event.eventId())) {
                fresh.add(event);
            }
        }
        return fresh;
    }

    private static Iterable<JsonNode> items(byte[] payload, List<FailedEvent> failures) {
        try {
            JsonNode body = JSON.readTree(payload);
            return body.isArray() ? body : List.of(body);
        } catch (JacksonException e) {
            failures.add(new FailedEvent(null, null, EventValidator.STAGE, FailureReason.UNREADABLE, null,
                    "the message is not JSON: " + e.getOriginalMessage(), null, new String(payload, StandardCharsets.UTF_8)));
            return List.of();
        }
    }
}
