package dev.mailpulse.sink.timescale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Event Store and Aggregator: raw events, failed events and the read model, in batches. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class SinkTimescaleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SinkTimescaleApplication.class, args);
    }
}
