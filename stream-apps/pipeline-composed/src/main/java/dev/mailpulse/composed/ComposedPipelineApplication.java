package dev.mailpulse.composed;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The pipeline in one process: the collect stage as in source-collector (its API, webhooks and confirmed
 * publishing), and the other stages, the same beans the separate apps bind, composed into one consumer of the
 * collector's destination. Only the broker hops between them are gone.
 */
@SpringBootApplication
public class ComposedPipelineApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComposedPipelineApplication.class, args);
    }
}
