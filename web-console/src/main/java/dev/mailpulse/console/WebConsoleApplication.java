package dev.mailpulse.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The web console and the Analytics API: pages for people who sign in, {@code /api/v1} for clients with a read or
 * admin key, both scoped to one workspace at a time and reading the store and the live cache through their libraries.
 */
@SpringBootApplication
public class WebConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebConsoleApplication.class, args);
    }
}
