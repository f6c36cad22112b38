package dev.mailpulse.enrich;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Event Enricher: mailbox provider, client and device, machine opens, bot clicks, campaign context, the
 * workspace's time zone and the country, applied in that order to every validated event.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProcessorEnrichApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProcessorEnrichApplication.class, args);
    }
}
