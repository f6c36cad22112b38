package dev.mailpulse.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the console and the Analytics API.
 *
 * @param apiRequestsPerSecond how many API requests a key may make a second, on average
 * @param apiBurst             how many it may make at once after a pause
 */
@ConfigurationProperties("mailpulse.console")
public record ConsoleProperties(@DefaultValue("20") int apiRequestsPerSecond, @DefaultValue("60") int apiBurst) {
}
