package dev.mailpulse.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes JSON objects to a binding, many per message (a JSON array), and returns only once the broker has
 * confirmed every message. Anything else (no connection, a negative confirm, a message the broker could not route,
 * no confirm in time) is a {@link BrokerUnavailableException}. The binding's producer must use the confirm header
 * ({@code spring.cloud.stream.rabbit.bindings.<binding>.producer.use-confirm-header=true}) on a connection factory
 * with correlated confirms.
 * <p>
 * A message holds one workspace's events and names it in the {@link WireJson#WORKSPACE_HEADER} header, the key a
 * partitioned deployment routes by.
 */
public class ConfirmedPublisher {

    private final StreamBridge bridge;
    private final String binding;
    private final int eventsPerMessage;
    private final Duration confirmTimeout;

    public ConfirmedPublisher(StreamBridge bridge, String binding, int eventsPerMessage, Duration confirmTimeout) {
        this.bridge = bridge;
        this.binding = binding;
        this.eventsPerMessage = eventsPerMessage;
        this.confirmTimeout = confirmTimeout;
    }

    public void publish(List<ObjectNode> events) throws BrokerUnavailableException {
        List<CorrelationData> pending = new ArrayList<>();
        Map<String, List<ObjectNode>> byWorkspace = new LinkedHashMap<>();
        for (ObjectNode event : events) {
            byWorkspace.computeIfAbsent(event.path("workspace_id").asString(""), w -> new ArrayList<>()).add(event);
        }
        try {
            for (Map.Entry<String, List<ObjectNode>> workspace : byWorkspace.entrySet()) {
                List<ObjectNode> own = workspace.getValue();
                for (int from = 0; from < own.size(); from += eventsPerMessage) {
                    ArrayNode batch = JsonNodeFactory.instance.arrayNode();
                    own.subList(from, Math.min(own.size(), from + eventsPerMessage)).forEach(batch::add);
                    CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
                    Message<byte[]> message = MessageBuilder.withPayload(batch.toString().getBytes(StandardCharsets.UTF_8))
                            .setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE)
                            .setHeader(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION, correlation)
                            .setHeader(WireJson.WORKSPACE_HEADER, workspace.getKey())
                            .build();
                    if (!bridge.send(binding, message)) {
                        throw new BrokerUnavailableException("the message was not sent", null);
                    }
                    pending.add(correlation);
                }
            }
        } catch (RuntimeException e) {
            throw new BrokerUnavailableException("the broker cannot be reached: " + e.getMessage(), e);
        }
        awaitConfirms(pending);
    }

    private void awaitConfirms(List<CorrelationData> pending) throws BrokerUnavailableException {
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        for (CorrelationData correlation : pending) {
            try {
                CorrelationData.Confirm confirm = correlation.getFuture()
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!confirm.ack()) {
                    throw new BrokerUnavailableException("the broker refused a message: " + confirm.reason(), null);
                }
                if (correlation.getReturned() != null) {
                    throw new BrokerUnavailableException("the broker could not route a message: "
                            + correlation.getReturned().getReplyText(), null);
                }
            } catch (TimeoutException e) {
                throw new BrokerUnavailableException("the broker did not confirm within " + confirmTimeout, e);
            } catch (ExecutionException e) {
                throw new BrokerUnavailableException("publishing failed: " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("interrupted while waiting for the broker", e);
            }
        }
    }
}
