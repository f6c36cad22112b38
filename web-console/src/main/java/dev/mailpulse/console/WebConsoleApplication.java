package dev.mailpulse.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The web console and JSON API: dashboard, reports, alert rules. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class WebConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebConsoleApplication.class, args);
    }
}
