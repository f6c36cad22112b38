package dev.mailpulse.sink.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The real-time cache: a tap of the enriched events kept in Redis for the live dashboard and alerts, within a second;
 * the cache itself is the live-cache library's.
 */
@SpringBootApplication
public class SinkRedisApplication {

    public static void main(String[] args) {
        SpringApplication.run(SinkRedisApplication.class, args);
    }
}
