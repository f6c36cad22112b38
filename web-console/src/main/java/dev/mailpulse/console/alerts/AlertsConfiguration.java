package dev.mailpulse.console.alerts;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The local SMTP sink, where the console is asked for one ({@code mailpulse.console.smtp-sink-port}, which
 * {@code bin/mailpulse up} sets when no SMTP server is configured): on loopback unless an address is given.
 */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${mailpulse.console.smtp-sink-port:0} > 0")
    LocalSmtpSink localSmtpSink(@Value("${mailpulse.console.smtp-sink-address:127.0.0.1}") String address,
                                @Value("${mailpulse.console.smtp-sink-port}") int port) {
        return new LocalSmtpSink(address, port);
    }
}
