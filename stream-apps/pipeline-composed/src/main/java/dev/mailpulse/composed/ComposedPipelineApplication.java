package dev.mailpulse.composed;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

import dev.mailpulse.collector.SourceCollectorApplication;
import dev.mailpulse.enrich.EnrichProperties;
import dev.mailpulse.validate.ValidateProperties;

/**
 * The pipeline in one process: the collector as it is (its API, webhooks and confirmed publishing), and the other
 * apps' functions composed into one consumer of the collector's destination. The same classes and properties as the
 * separate apps; only the broker hops between them are gone.
 */
@SpringBootApplication
@Import(SourceCollectorApplication.class)
@EnableConfigurationProperties({ValidateProperties.class, EnrichProperties.class})
public class ComposedPipelineApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComposedPipelineApplication.class, args);
    }
}
