package dev.mailpulse.storage.readmodel;

import java.time.Duration;
import java.time.Instant;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.jooq.Tables;

/** The read model's bucket widths, each backed by its relation (same columns on every engine). */
public enum Resolution {
    MINUTE(Duration.ofMinutes(1), Tables.EVENT_COUNTS_1M),
    HOUR(Duration.ofHours(1), Tables.EVENT_COUNTS_1H),
    DAY(Duration.ofDays(1), Tables.EVENT_COUNTS_1D);

    private final Duration width;
    private final Table<? extends Record> relation;

    Resolution(Duration width, Table<? extends Record> relation) {
        this.width = width;
        this.relation = relation;
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
