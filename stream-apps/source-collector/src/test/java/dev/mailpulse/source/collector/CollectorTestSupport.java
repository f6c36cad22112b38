package dev.mailpulse.source.collector;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.testing.TcpProxy;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The collector against the real services: its own database, and RabbitMQ behind a {@link TcpProxy} so a test can
 * take the broker away. What the collector publishes is read back from the consumer group queue it declares.
 */
public final class CollectorTestSupport {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String GROUP = "verify";

    private CollectorTestSupport() {
    }

    public static TcpProxy brokerProxy() {
        URI broker = TestRabbit.amqpAddress();
        try {
            return new TcpProxy(broker.getHost(), broker.getPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void register(DynamicPropertyRegistry registry, TestDatabase db, TestRabbit rabbit, TcpProxy proxy, String destination) {
        db.registerDataSource(registry);
        URI broker = TestRabbit.amqpAddress();
        registry.add("spring.rabbitmq.addresses", () -> "amqp://" + broker.getUserInfo() + "@127.0.0.1:" + proxy.port());
        registry.add("spring.cloud.stream.bindings.output.destination", () -> destination);
        registry.add("spring.cloud.stream.bindings.output.producer.required-groups", () -> GROUP);
        registry.add("spring.cloud.stream.bindings.failed.destination", () -> failedDestination(destination));
        registry.add("spring.cloud.stream.bindings.failed.producer.required-groups", () -> GROUP);
        registry.add("mailpulse.collector.recipient-hash-secret", () -> "a-test-secret-of-32-bytes-length");
        registry.add("management.server.port", () -> "0");
        rabbit.exchange(destination.substring(rabbit.prefix().length() + 1));
        rabbit.queue(destination.substring(rabbit.prefix().length() + 1) + "." + GROUP);
        rabbit.exchange(failedDestination(destination).substring(rabbit.prefix().length() + 1));
        rabbit.queue(failedDestination(destination).substring(rabbit.prefix().length() + 1) + "." + GROUP);
    }

    /** Where the collector publishes the items it could not take. */
    public static String failedDestination(String destination) {
        return destination + "-failed";
    }

    /** Every event published so far (each message is a JSON array of events), taken off the group's queue. */
    public static List<JsonNode> drain(TestRabbit rabbit, String destination, int atLeast, Duration within) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            while (true) {
                GetResponse message = channel.basicGet(destination + "." + GROUP, true);
                if (message != null) {
                    JsonNode batch = JSON.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
                    batch.forEach(events::add);
                } else if (events.size() >= atLeast || System.nanoTime() > deadline) {
                    return events;
                } else {
                    Thread.sleep(50);
                }
            }
        }
    }
}
