package dev.mailpulse.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the console and the Analytics API.
 *
 * @param apiRequestsPerSecond how many API requests a key may make a second, on average
 * @param apiBurst             how many it may make at once after a pause
 * @param batchTablePrefix     where the daily ETL's job repository is in the database: {@code batch_} as the task app
 *                             writes it, {@code boot3_batch_} where Data Flow 2.11 launches it
 */
@ConfigurationProperties("mailpulse.console")
public record ConsoleProperties(@DefaultValue("20") int apiRequestsPerSecond, @DefaultValue("60") int apiBurst,
                                @DefaultValue("batch_") String batchTablePrefix) {
}
