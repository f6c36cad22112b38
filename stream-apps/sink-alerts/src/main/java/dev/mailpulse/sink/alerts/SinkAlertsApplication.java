package dev.mailpulse.sink.alerts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The alert evaluator: a tap of the enriched events that has their workspaces' rules judged at once, every
 * workspace's judged on a schedule too, and the notifications sent; the evaluator itself is the alerting library's.
 */
@SpringBootApplication
public class SinkAlertsApplication {

    public static void main(String[] args) {
        SpringApplication.run(SinkAlertsApplication.class, args);
    }
}
