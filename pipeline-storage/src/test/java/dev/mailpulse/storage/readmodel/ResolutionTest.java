package dev.mailpulse.storage.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ResolutionTest {

    @Test
    void aRangeIsCutIntoTheFewestBucketsEachRelationHasWhole() {
        assertThat(Resolution.cover(Instant.parse("2026-10-01T22:15:00Z"), Instant.parse("2026-10-04T03:07:00Z"))).containsExactly(
                new Resolution.Span(Resolution.MINUTE, Instant.parse("2026-10-01T22:15:00Z"), Instant.parse("2026-10-01T23:00:00Z")),
                new Resolution.Span(Resolution.HOUR, Instant.parse("2026-10-01T23:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")),
                new Resolution.Span(Resolution.DAY, Instant.parse("2026-10-02T00:00:00Z"), Instant.parse("2026-10-04T00:00:00Z")),
                new Resolution.Span(Resolution.HOUR, Instant.parse("2026-10-04T00:00:00Z"), Instant.parse("2026-10-04T03:00:00Z")),
                new Resolution.Span(Resolution.MINUTE, Instant.parse("2026-10-04T03:00:00Z"), Instant.parse("2026-10-04T03:07:00Z")));
        assertThat(Resolution.cover(Instant.parse("2026-10-01T10:05:00Z"), Instant.parse("2026-10-01T12:00:00Z"))).containsExactly(
                new Resolution.Span(Resolution.MINUTE, Instant.parse("2026-10-01T10:05:00Z"), Instant.parse("2026-10-01T11:00:00Z")),
                new Resolution.Span(Resolution.HOUR, Instant.parse("2026-10-01T11:00:00Z"), Instant.parse("2026-10-01T12:00:00Z")));
        assertThat(Resolution.cover(Instant.parse("2026-10-01T10:05:00Z"), Instant.parse("2026-10-01T10:30:00Z"))).containsExactly(
                new Resolution.Span(Resolution.MINUTE, Instant.parse("2026-10-01T10:05:00Z"), Instant.parse("2026-10-01T10:30:00Z")));
        assertThat(Resolution.cover(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"))).containsExactly(
                new Resolution.Span(Resolution.DAY, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")));
        assertThatThrownBy(() -> Resolution.cover(Instant.parse("2026-10-01T00:00:30Z"), Instant.parse("2026-10-02T00:00:00Z")))
                .hasMessageContaining("whole minutes");
    }
}
