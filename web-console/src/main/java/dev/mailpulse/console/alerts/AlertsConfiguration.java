package dev.mailpulse.console.alerts;

import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mailpulse.alerting.MetricStore;
import dev.mailpulse.console.ConsoleProperties;

/**
 * Where rules' previews read their metrics (the database, and the daily ETL's job repository in it, where the jobs
 * page reads it too); and the local SMTP sink, where the console is asked for one ({@code mailpulse.console.smtp-sink-port},
 * which {@code bin/mailpulse up} sets when no SMTP server is configured): on loopback unless an address is given.
 */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

    @Bean
    MetricStore metricStore(DSLContext db, ConsoleProperties properties) {
        return new MetricStore(db, properties.batchTablePrefix());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${mailpulse.console.smtp-sink-port:0} > 0")
    LocalSmtpSink localSmtpSink(@Value("${mailpulse.console.smtp-sink-address:127.0.0.1}") String address,
                                @Value("${mailpulse.console.smtp-sink-port}") int port) {
        return new LocalSmtpSink(address, port);
    }
}
