package dev.mailpulse.processor.enrich;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Event Enricher: the enrich stage's function ({@code pipeline-enrich}) bound to the stream: mailbox provider,
 * client and device, machine opens, bot clicks, campaign context, the workspace's time zone and the country, applied
 * in that order to every validated event.
 */
@SpringBootApplication
public class ProcessorEnrichApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProcessorEnrichApplication.class, args);
    }
}
