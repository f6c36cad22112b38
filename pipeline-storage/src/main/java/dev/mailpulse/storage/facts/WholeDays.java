package dev.mailpulse.storage.facts;

import static dev.mailpulse.storage.jooq.Tables.ETL_CHANGES;
import static dev.mailpulse.storage.jooq.Tables.ETL_DAYS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A range of one workspace's time split into the days whose facts are whole and the rest. A day's facts are whole
 * when the nightly ETL processed it and no event was stored into it since (it has no change mark): counts summed
 * from them then equal the raw store's. The rest, today's hours, days not yet or no longer processed, and parts of
 * days at the range's ends, is left to be read from the raw store.
 */
public record WholeDays(List<LocalDate> days, List<Span> rest) {

    /** A part of the range not covered by whole days: {@code [from, to)}. */
    public record Span(Instant from, Instant to) {
    }

    public WholeDays {
        days = List.copyOf(days);
        rest = List.copyOf(rest);
    }

    /** The whole days within {@code [from, to)} (in the zone they were processed in), and the spans between them. */
    public static WholeDays within(DSLContext db, UUID workspaceId, Instant from, Instant to) {
        var marked = DSL.selectOne().from(ETL_CHANGES).where(ETL_CHANGES.WORKSPACE_ID.eq(ETL_DAYS.WORKSPACE_ID),
                ETL_CHANGES.QUARTER.ge(ETL_DAYS.DAY_START), ETL_CHANGES.QUARTER.lt(ETL_DAYS.DAY_END));
        List<LocalDate> days = new ArrayList<>();
        List<Span> rest = new ArrayList<>();
        Instant covered = from;
        for (var day : db.select(ETL_DAYS.DAY, ETL_DAYS.DAY_START, ETL_DAYS.DAY_END).from(ETL_DAYS)
                .where(ETL_DAYS.WORKSPACE_ID.eq(workspaceId), ETL_DAYS.DAY_START.ge(from.atOffset(ZoneOffset.UTC)),
                        ETL_DAYS.DAY_END.le(to.atOffset(ZoneOffset.UTC)), DSL.notExists(marked))
                .orderBy(ETL_DAYS.DAY_START).fetch()) {
            Instant start = day.value2().toInstant();
            if (start.isBefore(covered)) {
                continue; // processed in another zone (the workspace's changed), it overlaps a day kept: its time is counted without it
            }
            if (covered.isBefore(start)) {
                rest.add(new Span(covered, start));
            }
            days.add(day.value1());
            covered = day.value3().toInstant();
        }
        if (covered.isBefore(to)) {
            rest.add(new Span(covered, to));
        }
        return new WholeDays(days, rest);
    }
}
