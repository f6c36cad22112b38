package dev.mailpulse.sink.timescale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Event Store and Aggregator: the store stage's functions ({@code pipeline-write}) bound to the stream; enriched
 * events (and failed events) in batches into the raw store, the failed-events store and so the read model, each
 * message acknowledged only after its commit.
 */
@SpringBootApplication
public class SinkTimescaleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SinkTimescaleApplication.class, args);
    }
}
