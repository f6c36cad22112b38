package dev.mailpulse.validate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.core.validation.Validation;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The validate stage, what it does to a message of collected events apart from publishing: each event validated
 * (schema and rules, failures typed with their reason), and those passed on before dropped. processor-validate's
 * function and the composed pipeline both apply it. Events are remembered as passed only once the caller has passed
 * them on.
 *
 * <p>Whatever an item holds, it becomes a valid event or a failure of its own: validation runs on the item alone, and
 * the look-ups it needs (which workspaces exist, which events were passed before) are made for the whole message
 * before and after it, waiting out an outage of PostgreSQL or Redis instead of failing the message.
 */
public final class ValidateStage {

    private final KnownWorkspaces workspaces;
    private final ValidateProperties properties;
    private final Deduplicator deduplicator;
    private final UntilAvailable untilAvailable;
    private final MeterRegistry metrics;
    private final EventSchemas schemas = new EventSchemas();

    public ValidateStage(Workspaces workspaces, StringRedisTemplate redis, ValidateProperties properties,
                          UntilAvailable untilAvailable, MeterRegistry metrics) {
        this.workspaces = new KnownWorkspaces(workspaces, properties.workspaceCacheTtl());
        this.properties = properties;
        this.deduplicator = new Deduplicator(redis, properties.dedupKeyPrefix(), properties.dedupWindow());
        this.untilAvailable = untilAvailable;
        this.metrics = metrics;
    }

    /** The message's valid events not seen before, and its failures. */
    public Items<Event> screen(byte[] payload) {
        Items<JsonNode> items = WireJson.items(payload, Stage.VALIDATE);
        List<Event> events = new ArrayList<>();
        List<FailedEvent> failures = new ArrayList<>(items.failures());
        Set<UUID> existing = untilAvailable.get("workspace look-up", () -> workspaces.existing(workspaceIds(items.items())));
        EventValidator validator = new EventValidator(schemas, existing::contains, properties.timeLimits(), Clock.systemUTC());
        for (JsonNode item : items.items()) {
            Validation validation = validate(validator, item);
            if (validation instanceof Validation.Valid ok) {
                events.add(ok.event());
            } else {
                FailedEvent failure = ((Validation.Invalid) validation).failure();
                failures.add(failure);
                metrics.counter("mailpulse.validate.events", "outcome", "failed", "reason", failure.reason().code()).increment();
            }
        }
        Set<Integer> alreadyPassed = untilAvailable.get("de-duplication look-up", () -> deduplicator.alreadyPassed(events));
        List<Event> fresh = fresh(events, alreadyPassed);
        metrics.counter("mailpulse.validate.events", "outcome", "duplicate", "reason", "none").increment(events.size() - fresh.size());
        return new Items<>(fresh, failures);
    }

    /** Called once the fresh events were passed on: from now on they are duplicates. */
    public void passed(List<Event> fresh) {
        untilAvailable.run("de-duplication memory", () -> deduplicator.remember(fresh));
        metrics.counter("mailpulse.validate.events", "outcome", "valid", "reason", "none").increment(fresh.size());
    }

    /** Validation touches nothing but the item: an exception here is a bug, and it costs this item only. */
    private static Validation validate(EventValidator validator, JsonNode item) {
        try {
            return validator.validate(item);
        } catch (RuntimeException e) {
            return new Validation.Invalid(new FailedEvent(null, null, Stage.VALIDATE, FailureReason.PROCESSING_ERROR, null,
                    "the validator failed on this event: " + e, item, null));
        }
    }

    /** The workspace ids the items name, as far as they are readable. */
    private static Set<UUID> workspaceIds(List<JsonNode> items) {
        Set<UUID> ids = new HashSet<>();
        for (JsonNode item : items) {
            String id = WireJson.text(item.get("workspace_id"));
            if (id != null) {
                try {
                    ids.add(UUID.fromString(id));
                } catch (IllegalArgumentException notAnId) {
                    // the schema names it
                }
            }
        }
        return ids;
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
}
