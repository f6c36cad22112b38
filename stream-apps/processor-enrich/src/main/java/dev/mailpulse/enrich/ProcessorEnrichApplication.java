package dev.mailpulse.enrich;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Event Enricher: mailbox provider, client, machine opens, bot clicks, campaign context, time zone, country. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class ProcessorEnrichApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProcessorEnrichApplication.class, args);
    }
}
