package dev.mailpulse.processor.validate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.JsonNode;

/** The validator's queues as its tests use them: a message in, what came out. */
final class ValidatorQueues {

    private ValidatorQueues() {
    }

    static void publish(TestRabbit rabbit, String exchange, String body) throws Exception {
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, "", new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** The items of the queue's messages: at least {@code atLeast} (or what came within 30 s), and anything more after. */
    static List<JsonNode> drain(TestRabbit rabbit, String queue, int atLeast) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            while (items.size() < atLeast && System.nanoTime() < deadline) {
                GetResponse message = channel.basicGet(queue, true);
                if (message == null) {
                    Thread.sleep(100);
                    continue;
                }
                WireJson.MAPPER.readTree(message.getBody()).forEach(items::add);
            }
            Thread.sleep(1_500); // anything more that should not be there
            for (GetResponse message; (message = channel.basicGet(queue, true)) != null; ) {
                WireJson.MAPPER.readTree(message.getBody()).forEach(items::add);
            }
        }
        return items;
    }
}
