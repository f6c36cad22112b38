package dev.mailpulse.processor.validate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Event Validator: the validate stage's function ({@code pipeline-validate}) bound to the stream, schemas and
 * rules, de-duplication, and typed failures on their own destination.
 */
@SpringBootApplication
public class ProcessorValidateApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProcessorValidateApplication.class, args);
    }
}
