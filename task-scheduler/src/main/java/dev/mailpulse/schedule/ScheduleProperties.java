package dev.mailpulse.schedule;

import java.time.Duration;
import java.time.LocalTime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The task scheduler's settings ({@code mailpulse.schedule.*}).
 *
 * @param enabled    whether this process schedules tasks (every console instance may: the store is clustered)
 * @param nightlyAt  the local time, in every time zone the workspaces use, at which the nightly ETL is launched; after
 *                   the ETL's grace period past midnight (1 h by default), so that the day just ended is due
 * @param retryAfter how long after a launch that found another run in progress it is tried again
 * @param syncEvery  how often the schedules are brought in line with the workspaces' time zones
 */
@ConfigurationProperties("mailpulse.schedule")
public record ScheduleProperties(@DefaultValue("true") boolean enabled, @DefaultValue("01:15") LocalTime nightlyAt,
                                 @DefaultValue("10m") Duration retryAfter, @DefaultValue("5m") Duration syncEvery) {

    public ScheduleProperties {
        if (retryAfter.isNegative() || retryAfter.isZero() || syncEvery.isNegative() || syncEvery.isZero()) {
            throw new IllegalArgumentException("mailpulse.schedule.retry-after and sync-every: durations above zero");
        }
    }
}
