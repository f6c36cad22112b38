package dev.mailpulse.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PageRangeTest {

    private static final Set<Integer> OFFERED = Set.of(1, 7, 30);

    @Test
    void aRangeEndingTodayEndsAtTheNextMinuteOrHourOfTheZone() {
        Instant now = Instant.parse("2026-12-02T14:37:20Z");
        PageRange minutes = PageRange.of(ZoneId.of("Asia/Kathmandu"), 1, OFFERED, 7, Optional.empty(), now, ChronoUnit.MINUTES);
        assertThat(minutes.from()).as("Kathmandu's midnight, +05:45").isEqualTo(Instant.parse("2026-12-01T18:15:00Z"));
        assertThat(minutes.to()).isEqualTo(Instant.parse("2026-12-02T14:38:00Z"));
        PageRange hours = PageRange.of(ZoneId.of("Asia/Kathmandu"), 1, OFFERED, 7, Optional.empty(), now, ChronoUnit.HOURS);
        assertThat(hours.to()).as("its next hour starts at a quarter past in UTC").isEqualTo(Instant.parse("2026-12-02T15:15:00Z"));
    }

    @Test
    void anEarlierDayEndsAtItsLocalMidnightAndDaysOfTheChangeOfTimeAreWhole() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        PageRange week = PageRange.of(paris, 7, OFFERED, 1, Optional.of(LocalDate.parse("2026-10-27")), Instant.parse("2026-12-02T10:00:00Z"),
                ChronoUnit.MINUTES);
        assertThat(week.from()).isEqualTo(Instant.parse("2026-10-20T22:00:00Z"));
        assertThat(week.to()).isEqualTo(Instant.parse("2026-10-27T23:00:00Z"));
        assertThat(Duration.between(week.from(), week.to())).as("seven days, one of them of 25 hours").isEqualTo(Duration.ofHours(7 * 24 + 1));
    }

    @Test
    void aDayNotOfferedOrAfterTodayFallsBack() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        PageRange range = PageRange.of(ZoneId.of("UTC"), 365, OFFERED, 7, Optional.of(LocalDate.parse("2027-01-01")), now, ChronoUnit.MINUTES);
        assertThat(range.days()).isEqualTo(7);
        assertThat(range.until()).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(range.to()).isEqualTo(Instant.parse("2026-12-02T10:01:00Z"));
    }
}
