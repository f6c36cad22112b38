package dev.mailpulse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;

class TestRabbitTest {

    @Test
    void namesAreTheClassesOwnAndDisappearAfterIt() throws Exception {
        TestRabbit rabbit = TestRabbit.broker();
        rabbit.open("TestRabbitTest");
        String queue = rabbit.queue("events");
        assertThat(queue).startsWith("mp-t.testrabbittest.");
        try (Connection connection = rabbit.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, Map.of());
            channel.confirmSelect();
            channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, "hello".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            GetResponse message = channel.basicGet(queue, true);
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        rabbit.close();
        try (Connection connection = rabbit.connectionFactory().newConnection()) {
            Channel channel = connection.createChannel(); // closed by the broker's NOT_FOUND, so not closed here
            assertThatThrownBy(() -> channel.queueDeclarePassive(queue)).hasStackTraceContaining("NOT_FOUND");
        }
    }
}
