package dev.mailpulse.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.stream.config.BindingProperties;
import org.springframework.cloud.stream.config.BindingServiceProperties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The dead-letter queues of this app's consumer bindings ({@code <destination>.<group>.dlq}, the binder's default
 * name) and how many messages each holds, asked of the broker over AMQP with a passive declare (no management
 * plugin needed). Reported in health ({@code deadLetters}) and as the gauge {@code mailpulse.dlq.depth}; a message
 * there was refused for its content, and {@code bin/mailpulse dlq redrive} sends it back once fixed.
 */
public final class DeadLetterQueues implements HealthIndicator {

    public static final String SUFFIX = ".dlq";

    private final AmqpAdmin admin;
    private final List<String> queues;

    public DeadLetterQueues(AmqpAdmin admin, BindingServiceProperties bindings) {
        this.admin = admin;
        this.queues = new ArrayList<>();
        for (Map.Entry<String, BindingProperties> binding : bindings.getBindings().entrySet()) {
            BindingProperties properties = binding.getValue();
            if (properties.getGroup() != null && properties.getDestination() != null) {
                for (String destination : properties.getDestination().split(",")) {
                    queues.add(destination.strip() + "." + properties.getGroup() + SUFFIX);
                }
            }
        }
    }

    public List<String> queues() {
        return List.copyOf(queues);
    }

    /** Each queue's depth; -1 where the broker cannot be asked or the queue does not exist yet. */
    public Map<String, Long> depths() {
        Map<String, Long> depths = new LinkedHashMap<>();
        for (String queue : queues) {
            depths.put(queue, depth(queue));
        }
        return depths;
    }

    public void register(MeterRegistry metrics) {
        for (String queue : queues) {
            Gauge.builder("mailpulse.dlq.depth", () -> depth(queue)).tag("queue", queue)
                    .description("messages in a dead-letter queue of this app").register(metrics);
        }
    }

    @Override
    public Health health() {
        Map<String, Long> depths = depths();
        Health.Builder health = depths.containsValue(-1L) ? Health.unknown() : Health.up();
        return health.withDetail("queues", depths).build();
    }

    private long depth(String queue) {
        try {
            QueueInformation information = admin.getQueueInfo(queue);
            return information == null ? -1 : information.getMessageCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
