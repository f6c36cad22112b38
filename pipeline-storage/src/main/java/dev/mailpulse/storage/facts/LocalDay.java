package dev.mailpulse.storage.facts;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

/**
 * One day of one workspace in its time zone: from local midnight to the next, 23 or 25 hours on the days clocks
 * change, whatever the offset (+05:45 too). Where a zone skips midnight, the day starts at the first instant it has.
 */
public record LocalDay(UUID workspaceId, String workspaceName, LocalDate day, ZoneId zone) {

    public LocalDay {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(zone, "zone");
    }

    public Instant start() {
        return day.atStartOfDay(zone).toInstant();
    }

    public Instant end() {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    public Duration length() {
        return Duration.between(start(), end());
    }

    /** Whether the day has ended, and {@code grace} after it, at {@code now}: late events of its last moments are in. */
    public boolean isDue(Instant now, Duration grace) {
        return !end().plus(grace).isAfter(now);
    }

    /** How a run names it: {@code traffic-1/2026-03-29}. */
    public String key() {
        return workspaceName + "/" + day;
    }
}
