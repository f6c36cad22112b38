package dev.mailpulse.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * RabbitMQ for one test class: a broker (Testcontainers when Docker answers, else {@code MAILPULSE_TEST_RABBIT_URL},
 * default {@code amqp://guest:guest@127.0.0.1:5672}) and a name prefix of the class's own. Queues and exchanges named
 * through {@link #queue}/{@link #exchange} are deleted after the class, so runs never see each other's messages.
 */
public final class TestRabbit implements BeforeAllCallback, AfterAllCallback {

    private static final String IMAGE = "rabbitmq:3.13-management-alpine";
    private static String brokerUri;

    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private String prefix;

    public static TestRabbit broker() {
        return new TestRabbit();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    public void open(String owner) {
        uri();
        prefix = "mp-t." + owner.toLowerCase(Locale.ROOT) + "." + Docker.uniqueSuffix();
    }

    /** Deletes every queue and exchange named through this instance. */
    public void close() throws IOException, TimeoutException {
        try (Connection connection = connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                channel.exchangeDelete(exchange);
            }
        }
        queues.clear();
        exchanges.clear();
    }

    public String prefix() {
        return prefix;
    }

    public String queue(String name) {
        String full = prefix + "." + name;
        queues.add(full);
        return full;
    }

    public String exchange(String name) {
        String full = prefix + "." + name;
        exchanges.add(full);
        return full;
    }

    /** The number of messages ready in one of this class's queues (by its name without the prefix). */
    public long depth(String name) throws IOException, TimeoutException {
        try (Connection connection = connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(prefix + "." + name).getMessageCount();
        }
    }

    public static synchronized String uri() {
        if (brokerUri == null) {
            brokerUri = Docker.available() ? container() : Docker.env("MAILPULSE_TEST_RABBIT_URL", "amqp://guest:guest@127.0.0.1:5672");
        }
        return brokerUri;
    }

    /** The broker's host and AMQP port, for a {@link TcpProxy} in front of it. */
    public static java.net.URI amqpAddress() {
        return java.net.URI.create(uri());
    }

    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri());
        } catch (URISyntaxException | GeneralSecurityException e) {
            throw new IllegalStateException("bad RabbitMQ URI " + uri(), e);
        }
        return factory;
    }

    @SuppressWarnings("resource") // lives as long as the test JVM
    private static String container() {
        RabbitMQContainer container = new RabbitMQContainer(IMAGE);
        container.start();
        return container.getAmqpUrl().replace("amqp://", "amqp://" + container.getAdminUsername() + ":" + container.getAdminPassword() + "@");
    }
}
