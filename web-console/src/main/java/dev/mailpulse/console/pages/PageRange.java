package dev.mailpulse.console.pages;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * The range a page shows: {@code days} whole days of the workspace's time zone ending with {@code until} (today unless
 * an earlier day is asked for). A range ending today ends at the next {@code unit} (minute or hour) after now, so
 * that what has just come in is in it; one ending earlier ends at the local midnight after {@code until}.
 */
public record PageRange(int days, LocalDate until, Instant from, Instant to) {

    /**
     * @param days    asked for; one of {@code offered} or else {@code fallback}
     * @param until   the last day asked for, if any; a day after today is today
     */
    public static PageRange of(ZoneId zone, Integer days, Set<Integer> offered, int fallback, Optional<LocalDate> until, Instant now,
                               ChronoUnit unit) {
        int span = days != null && offered.contains(days) ? days : fallback;
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate last = until.filter(day -> day.isBefore(today)).orElse(today);
        Instant from = last.minusDays(span - 1L).atStartOfDay(zone).toInstant();
        Instant to = last.isBefore(today) ? last.plusDays(1).atStartOfDay(zone).toInstant()
                : now.atZone(zone).truncatedTo(unit).plus(1, unit).toInstant();
        return new PageRange(span, last, from, to);
    }
}
