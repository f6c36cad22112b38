package dev.mailpulse.validate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Event Validator: schemas and rules, de-duplication, and typed failures on their own destination.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProcessorValidateApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProcessorValidateApplication.class, args);
    }
}
