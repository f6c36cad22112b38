package dev.mailpulse.source.collector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Event Collector: the collect stage ({@code pipeline-collect}), our own HTTP API and the providers' webhooks. It
 * authenticates requests, keeps events whole, and answers 2xx only once the broker has confirmed every event of the
 * request.
 */
@SpringBootApplication
public class SourceCollectorApplication {

    public static void main(String[] args) {
        SpringApplication.run(SourceCollectorApplication.class, args);
    }
}
