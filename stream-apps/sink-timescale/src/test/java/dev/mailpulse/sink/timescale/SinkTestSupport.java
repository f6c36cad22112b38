package dev.mailpulse.sink.timescale;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.mailpulse.testing.TestRabbit;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Generated enriched events and the plumbing to hand them to the sink through the real broker. */
final class SinkTestSupport {

    private static final String[] TYPES = {"email.send", "email.deliver", "email.open", "email.click", "email.bounce"};
    private static final String[] PROVIDERS = {"gmail", "microsoft", "yahoo", "apple", "other"};

    private SinkTestSupport() {
    }

    /** {@code count} valid enriched events of one workspace, at random minutes of one day. */
    static List<ObjectNode> events(long seed, UUID workspace, int count) {
        Random random = new Random(seed);
        Instant day = Instant.parse("2026-11-20T00:00:00Z");
        List<ObjectNode> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String type = TYPES[random.nextInt(TYPES.length)];
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("event_id", new UUID(random.nextLong(), random.nextLong()).toString());
            event.put("workspace_id", workspace.toString());
            event.put("type", type);
            event.put("schema_version", 1);
            event.put("occurred_at", day.plus(random.nextInt(24 * 60), ChronoUnit.MINUTES).plusMillis(random.nextInt(60_000)).toString());
            event.put("received_at", day.plus(1, ChronoUnit.DAYS).toString());
            event.put("source", "api");
            event.put("campaign_id", "campaign-" + random.nextInt(4));
            event.put("message_id", "<m" + random.nextInt(500) + "@example.com>");
            ObjectNode recipient = event.putObject("recipient");
            recipient.put("hash", String.format("%032x", random.nextInt(300)));
            recipient.put("domain", "example.com");
            ObjectNode attributes = event.putObject("attributes");
            if (type.equals("email.bounce")) {
                attributes.put("bounce_kind", "hard");
            }
            if (type.equals("email.click")) {
                event.put("link_url", "https://shop.example.com/p/" + random.nextInt(10));
            }
            ObjectNode enrichment = event.putObject("enrichment");
            enrichment.put("mailbox_provider", PROVIDERS[random.nextInt(PROVIDERS.length)]);
            enrichment.put("automated", type.equals("email.open") && random.nextInt(3) == 0);
            events.add(event);
        }
        return events;
    }

    /** Publishes the events in messages of {@code perMessage}, as processor-enrich does, with publisher confirms. */
    static void publish(TestRabbit rabbit, String exchange, List<ObjectNode> events, int perMessage) throws Exception {
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int from = 0; from < events.size(); from += perMessage) {
                ArrayNode batch = JsonNodeFactory.instance.arrayNode();
                events.subList(from, Math.min(events.size(), from + perMessage)).forEach(batch::add);
                publishRaw(channel, exchange, batch.toString().getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        }
    }

    static void publishRaw(Channel channel, String exchange, byte[] body) throws Exception {
        channel.basicPublish(exchange, "", new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).build(), body);
    }

    static void publishRaw(TestRabbit rabbit, String exchange, byte[] body) throws Exception {
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            publishRaw(channel, exchange, body);
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

}
