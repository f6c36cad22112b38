package dev.mailpulse.validate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.core.validation.Validation;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.BrokerUnavailableException;
import dev.mailpulse.stream.ConfirmedPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The app's one function, {@code validateEvents} (bound to {@code input}): valid, new events go on to {@code output},
 * failures with their reason to {@code failed}, duplicates are dropped and counted. The input message is acknowledged
 * only after the broker confirmed both.
 */
@Configuration(proxyBeanMethods = false)
class ValidateConfiguration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    Workspaces workspaces(DSLContext db) {
        return new Workspaces(db);
    }

    @Bean
    EventValidator eventValidator(Workspaces workspaces, ValidateProperties properties) {
        return new EventValidator(new EventSchemas(), new KnownWorkspaces(workspaces, properties.workspaceCacheTtl()),
                properties.maxFuture(), properties.maxAge(), Clock.systemUTC());
    }

    @Bean
    Consumer<Message<byte[]>> validateEvents(EventValidator validator, StreamBridge bridge, StringRedisTemplate redis,
                                             ValidateProperties properties, MeterRegistry metrics) {
        Deduplicator deduplicator = new Deduplicator(redis, properties.dedupKeyPrefix(), properties.dedupWindow());
        ConfirmedPublisher valid = new ConfirmedPublisher(bridge, "output", properties.eventsPerMessage(), properties.confirmTimeout());
        ConfirmedPublisher failed = new ConfirmedPublisher(bridge, "failed", properties.eventsPerMessage(), properties.confirmTimeout());
        return message -> {
            List<Event> events = new ArrayList<>();
            List<ObjectNode> failures = new ArrayList<>();
            for (JsonNode item : items(message.getPayload(), failures)) {
                Validation validation = validator.validate(item);
                if (validation instanceof Validation.Valid ok) {
                    events.add(ok.event());
                } else {
                    FailedEvent failure = ((Validation.Invalid) validation).failure();
                    failures.add(FailedEventJson.toJson(failure));
                    metrics.counter("mailpulse.validate.events", "outcome", "failed", "reason", failure.reason().code()).increment();
                }
            }
            List<Event> fresh = fresh(events, deduplicator.alreadyPassed(events));
            metrics.counter("mailpulse.validate.events", "outcome", "duplicate", "reason", "none").increment(events.size() - fresh.size());
            try {
                valid.publish(fresh.stream().map(EventJson::toJson).toList());
                failed.publish(failures);
            } catch (BrokerUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e); // not acknowledged: the broker redelivers the message
            }
            deduplicator.remember(fresh);
            metrics.counter("mailpulse.validate.events", "outcome", "valid", "reason", "none").increment(fresh.size());
        };
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

    private static Iterable<JsonNode> items(byte[] payload, List<ObjectNode> failures) {
        try {
            JsonNode body = JSON.readTree(payload);
            return body.isArray() ? body : List.of(body);
        } catch (JacksonException e) {
            failures.add(FailedEventJson.toJson(new FailedEvent(null, null, EventValidator.STAGE, FailureReason.UNREADABLE, null,
                    "the message is not JSON: " + e.getOriginalMessage(), null, new String(payload, StandardCharsets.UTF_8))));
            return List.of();
        }
    }
}
