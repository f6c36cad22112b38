package dev.mailpulse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

class TcpProxyTest {

    @Test
    void aCutServiceRefusesConnectionsUntilRestored() throws Exception {
        URI broker = TestRabbit.amqpAddress();
        try (TcpProxy proxy = new TcpProxy(broker.getHost(), broker.getPort())) {
            ConnectionFactory factory = TestRabbit.broker().connectionFactory();
            factory.setPort(proxy.port());
            factory.setHost("127.0.0.1");
            factory.setAutomaticRecoveryEnabled(false);
            factory.setConnectionTimeout(2_000);
            Connection connection = factory.newConnection();
            assertThat(connection.isOpen()).isTrue();

            proxy.cut();
            assertThatThrownBy(factory::newConnection).isInstanceOf(java.io.IOException.class);
            for (int i = 0; i < 50 && connection.isOpen(); i++) {
                Thread.sleep(100);
            }
            assertThat(connection.isOpen()).as("the open connection is dropped").isFalse();

            proxy.restore();
            try (Connection again = factory.newConnection()) {
                assertThat(again.isOpen()).isTrue();
            }
        }
    }
}
