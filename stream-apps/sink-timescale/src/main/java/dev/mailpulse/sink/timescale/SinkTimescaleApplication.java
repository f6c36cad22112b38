package dev.mailpulse.sink.timescale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Event Store and Aggregator: consumes enriched events (and failed events) in batches and writes them to the raw
 * store, the failed-events store and so the read model, acknowledging each message only after its commit.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SinkTimescaleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SinkTimescaleApplication.class, args);
    }
}
