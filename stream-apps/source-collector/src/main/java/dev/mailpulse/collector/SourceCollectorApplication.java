package dev.mailpulse.collector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Event Collector: HTTP ingestion API and providers' webhooks, publishing to the stream. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class SourceCollectorApplication {

    public static void main(String[] args) {
        SpringApplication.run(SourceCollectorApplication.class, args);
    }
}
