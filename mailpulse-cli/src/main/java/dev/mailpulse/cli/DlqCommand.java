package dev.mailpulse.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.core.json.WireJson;

/**
 * {@code mailpulse dlq list|redrive}: the stream's dead-letter queues and what they hold, and sending their messages
 * back to the consumer group that refused them. Only a message refused for its content lands there (outages are
 * waited out), so redrive once the cause is fixed: a message still refused comes back.
 */
final class DlqCommand {

    static final String USAGE = """
              dlq list [QUEUE ...]           the dead-letter queues (default: the stream's) with their depth and
                                             the reason of the oldest message
              dlq redrive [QUEUE ...] [--limit N]
                                             move messages from dead-letter queues back to their group's queue
                                             (the workspace's partition, if the group is partitioned)
            """;

    /** The consumer groups of the stream {@code mailpulse} (scdf/mailpulse.stream), as {@code <destination>.<group>}. */
    private static final List<String> GROUP_QUEUES = List.of("source-collector.mailpulse", "processor-validate.mailpulse",
            "processor-enrich.mailpulse", "processor-enrich.mailpulse-cache", "failed.mailpulse");
    private static final String DLQ = ".dlq";
    /** Headers the binder adds when it dead-letters a message; dropped on the way back but for the reason. */
    private static final Set<String> DEAD_LETTER_HEADERS = Set.of("x-exception-stacktrace", "x-death", "x-first-death-exchange",
            "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason");

    private final String rabbitUrl;
    private final String stream;
    private final PrintStream out;

    DlqCommand(String rabbitUrl, String stream, PrintStream out) {
        this.rabbitUrl = rabbitUrl;
        this.stream = stream;
        this.out = out;
    }

    int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new Options.UsageException("dlq needs list or redrive");
        }
        Options options = Options.parse(args.subList(1, args.size()), Set.of("--limit"), Set.of());
        List<String> queues = options.positionals().isEmpty()
                ? GROUP_QUEUES.stream().map(group -> stream + "." + group + DLQ).toList() : options.positionals();
        for (String queue : queues) {
            if (!queue.endsWith(DLQ)) {
                throw new Options.UsageException(queue + " is not a dead-letter queue (its name ends in " + DLQ + ")");
            }
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbitUrl);
        try (Connection connection = factory.newConnection("mailpulse-dlq")) {
            BrokerRoutes routes = new BrokerRoutes(connection);
            switch (args.get(0)) {
                case "list" -> list(connection, routes, queues);
                case "redrive" -> {
                    long limit = options.positive("--limit", Integer.MAX_VALUE);
                    long moved = 0;
                    for (String queue : queues) {
                        moved += redrive(connection, routes, queue, limit - moved);
                    }
                    out.println(moved + " message(s) redriven");
                }
                default -> throw new Options.UsageException("dlq needs list or redrive");
            }
        }
        return 0;
    }

    private void list(Connection connection, BrokerRoutes routes, List<String> queues) throws Exception {
        out.printf("%-60s  %8s  %s%n", "dead-letter queue", "messages", "oldest message's reason");
        for (String queue : queues) {
            Optional<Long> depth = routes.depth(queue);
            String reason = "";
            if (depth.isPresent() && depth.get() > 0) {
                try (Channel channel = connection.createChannel()) {
                    GetResponse oldest = channel.basicGet(queue, false);
                    if (oldest != null) {
                        reason = reason(oldest);
                        channel.basicNack(oldest.getEnvelope().getDeliveryTag(), false, true); // left where it was
                    }
                }
            }
            out.printf("%-60s  %8s  %s%n", queue, depth.map(String::valueOf).orElse("absent"), reason);
        }
    }

    private long redrive(Connection connection, BrokerRoutes routes, String queue, long limit) throws Exception {
        if (routes.depth(queue).isEmpty()) {
            out.println(queue + ": absent");
            return 0;
        }
        String groupQueue = queue.substring(0, queue.length() - DLQ.length());
        long moved = 0;
        try (Channel from = connection.createChannel(); Channel to = connection.createChannel()) {
            to.confirmSelect();
            for (GetResponse message; moved < limit && (message = from.basicGet(queue, false)) != null; moved++) {
                Map<String, Object> headers = new HashMap<>(message.getProps().getHeaders() == null ? Map.of() : message.getProps().getHeaders());
                Object workspace = headers.get(WireJson.WORKSPACE_HEADER);
                String target = routes.queueFor(groupQueue, workspace == null ? null : workspace.toString());
                headers.keySet().removeAll(DEAD_LETTER_HEADERS);
                headers.merge("x-mailpulse-redriven", 1, (a, b) -> ((Number) a).intValue() + 1);
                BrokerRoutes.publish(to, target, message.getProps().builder().headers(headers).build(), message.getBody());
                from.basicAck(message.getEnvelope().getDeliveryTag(), false);
                out.println(queue + " -> " + target + ": " + reason(message));
            }
        }
        return moved;
    }

    private static String reason(GetResponse message) {
        Map<String, Object> headers = message.getProps().getHeaders();
        Object reason = headers == null ? null : headers.get("x-exception-message");
        String text = reason == null ? "(no reason recorded)" : reason.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
