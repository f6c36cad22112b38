package dev.mailpulse.storage.readmodel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.jooq.Tables;

/** The read model's bucket widths, each backed by its relation (same columns on every engine). */
public enum Resolution {
    MINUTE(ChronoUnit.MINUTES, Tables.EVENT_COUNTS_1M),
    HOUR(ChronoUnit.HOURS, Tables.EVENT_COUNTS_1H),
    DAY(ChronoUnit.DAYS, Tables.EVENT_COUNTS_1D);

    private final ChronoUnit unit;
    private final Duration width;
    private final Table<? extends Record> relation;

    Resolution(ChronoUnit unit, Table<? extends Record> relation) {
        this.unit = unit;
        this.width = unit.getDuration();
        this.relation = relation;
    }

    ChronoUnit unit() {
        return unit;
    }

    public Duration width() {
        return width;
    }

    Table<? extends Record> relation() {
        return relation;
    }

    <T> Field<T> field(String name, Class<T> type) {
        return DSL.field(DSL.name(relation.getName(), name), type);
    }

    boolean aligned(Instant instant) {
        return instant.toEpochMilli() % width.toMillis() == 0;
    }

    /**
     * The coarsest relation whose buckets nest in this resolution's buckets in {@code zone} over {@code [from, to)}:
     * this one where the zone's offset is a whole number of buckets throughout, else hours, else minutes.
     */
    Resolution finestSourceIn(ZoneId zone, Instant from, Instant to) {
        for (Resolution candidate : new Resolution[] {this, HOUR, MINUTE}) {
            if (candidate.width.compareTo(width) <= 0 && offsetsAreWhole(candidate, zone, from, to)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("tz: " + zone.getId() + " is offset from UTC by seconds");
    }

    private static boolean offsetsAreWhole(Resolution resolution, ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        for (Instant at = from; at != null && at.isBefore(to); ) {
            if (rules.getOffset(at).getTotalSeconds() % resolution.width.toSeconds() != 0) {
                return false;
            }
            ZoneOffsetTransition next = rules.nextTransition(at);
            at = next == null ? null : next.getInstant();
        }
        return true;
    }

    /** A part of a range that one relation answers with whole buckets. */
    record Span(Resolution resolution, Instant from, Instant to) {
    }

    /**
     * {@code [from, to)} (whole minutes) cut into the fewest buckets: minutes up to the first whole hour, hours up to
     * the first whole day, days, then hours and minutes again up to {@code to}. A month from a local midnight to now is
     * some thirty days and fifty hours and minutes, not forty thousand minutes.
     */
    static List<Span> cover(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a range ends after it starts: " + from + " .. " + to);
        }
        coarsestFor(from, to);
        List<Span> spans = new ArrayList<>();
        Instant hourUp = ceil(from, HOUR);
        Instant dayUp = ceil(from, DAY);
        Instant hourDown = floor(to, HOUR);
        Instant dayDown = floor(to, DAY);
        if (!dayUp.isAfter(dayDown)) {
            add(spans, MINUTE, from, hourUp);
            add(spans, HOUR, hourUp, dayUp);
            add(spans, DAY, dayUp, dayDown);
            add(spans, HOUR, dayDown, hourDown);
            add(spans, MINUTE, hourDown, to);
        } else if (!hourUp.isAfter(hourDown)) {
            add(spans, MINUTE, from, hourUp);
            add(spans, HOUR, hourUp, hourDown);
            add(spans, MINUTE, hourDown, to);
        } else {
            add(spans, MINUTE, from, to);
        }
        return spans;
    }

    private static void add(List<Span> spans, Resolution resolution, Instant from, Instant to) {
        if (from.isBefore(to)) {
            spans.add(new Span(resolution, from, to));
        }
    }

    private static Instant floor(Instant instant, Resolution resolution) {
        long width = resolution.width.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), width) * width);
    }

    private static Instant ceil(Instant instant, Resolution resolution) {
        long width = resolution.width.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli() + width - 1, width) * width);
    }

    /** The coarsest resolution whose buckets fit exactly between {@code from} and {@code to}. */
    static Resolution coarsestFor(Instant from, Instant to) {
        for (Resolution resolution : new Resolution[] {DAY, HOUR, MINUTE}) {
            if (resolution.aligned(from) && resolution.aligned(to)) {
                return resolution;
            }
        }
        throw new IllegalArgumentException("a range must start and end on whole minutes");
    }
}
