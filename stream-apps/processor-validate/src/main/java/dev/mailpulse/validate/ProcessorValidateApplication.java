package dev.mailpulse.validate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Event Validator: schemas, rules and de-duplication, with typed failures. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class ProcessorValidateApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProcessorValidateApplication.class, args);
    }
}
