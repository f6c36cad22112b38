package dev.mailpulse.cli;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.mailpulse.core.json.WireJson;

/**
 * Where to put a message so that exactly one consumer group takes it again, as the stream apps' binder would have:
 * straight into the group's queue ({@code <destination>.<group>}), or, for a group partitioned by workspace, into
 * the queue of the workspace's partition ({@code <destination>.<group>-<n>}, chosen as Spring Cloud Stream's default
 * partition selector chooses: the key's hash code modulo the partition count). Other groups bound to the same
 * destination (a tap) do not see the message a second time.
 */
final class BrokerRoutes {

    private final Connection connection;

    BrokerRoutes(Connection connection) {
        this.connection = connection;
    }

    /** The queue a message of {@code workspace} for {@code groupQueue} (a {@code <destination>.<group>}) belongs in. */
    String queueFor(String groupQueue, String workspace) throws IOException {
        if (exists(groupQueue)) {
            return groupQueue;
        }
        int partitions = 0;
        while (exists(groupQueue + "-" + partitions)) {
            partitions++;
        }
        if (partitions == 0) {
            throw new IllegalStateException("no queue " + groupQueue + " (nor its partitions " + groupQueue + "-N): is the stream deployed?");
        }
        int hash = workspace == null ? 0 : workspace.hashCode();
        return groupQueue + "-" + Math.abs(hash == Integer.MIN_VALUE ? 0 : hash) % partitions;
    }

    /** The number of messages in a queue, if it exists. */
    Optional<Long> depth(String queue) throws IOException {
        try (Channel channel = connection.createChannel()) {
            return Optional.of(channel.queueDeclarePassive(queue).getMessageCount() * 1L);
        } catch (IOException e) {
            if (e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException) {
                return Optional.empty(); // NOT_FOUND closes the channel
            }
            throw e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Publishes persistently into {@code queue} and waits for the broker's confirm. */
    static void publish(Channel confirming, String queue, AMQP.BasicProperties properties, byte[] body) throws IOException, InterruptedException,
            java.util.concurrent.TimeoutException {
        confirming.basicPublish("", queue, true, properties, body);
        confirming.waitForConfirmsOrDie(10_000);
    }

    static AMQP.BasicProperties json(String workspace, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .headers(workspace == null ? headers : withWorkspace(headers, workspace)).build();
    }

    private static Map<String, Object> withWorkspace(Map<String, Object> headers, String workspace) {
        Map<String, Object> all = new java.util.HashMap<>(headers);
        all.put(WireJson.WORKSPACE_HEADER, workspace);
        return all;
    }

    private boolean exists(String queue) throws IOException {
        return depth(queue).isPresent();
    }
}
