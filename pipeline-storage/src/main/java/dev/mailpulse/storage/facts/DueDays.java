package dev.mailpulse.storage.facts;

import static dev.mailpulse.storage.jooq.Tables.ETL_CHANGES;
import static dev.mailpulse.storage.jooq.Tables.ETL_DAYS;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACES;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The workspace-local days a run processes. By default every day that changed (its events' quarters are marked) and
 * has ended locally, plus a grace period, no older than the oldest event the pipeline accepts: for the first time, or
 * again because events came after it was processed. Asked for by date, every day of the range, changed or not.
 */
public final class DueDays {

    /** A day to process and why. */
    public record Due(LocalDay day, DailyFacts.Reason reason) {
    }

    private final DSLContext db;

    public DueDays(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * @param workspace only this workspace's days (by name), if given
     */
    public List<Due> changed(Instant now, Duration grace, Duration maxEventAge, Optional<String> workspace) {
        // a quarter lies in one local day: every zone's midnight falls on a quarter hour
        Field<LocalDate> day = DSL.field("({0} AT TIME ZONE {1})::date", LocalDate.class, ETL_CHANGES.QUARTER, WORKSPACES.TIME_ZONE);
        Instant oldest = now.minus(maxEventAge);
        List<Due> due = new ArrayList<>();
        db.selectDistinct(WORKSPACES.WORKSPACE_ID, WORKSPACES.NAME, WORKSPACES.TIME_ZONE, day, ETL_DAYS.DAY.isNotNull())
                .from(ETL_CHANGES).join(WORKSPACES).on(WORKSPACES.WORKSPACE_ID.eq(ETL_CHANGES.WORKSPACE_ID))
                .leftJoin(ETL_DAYS).on(ETL_DAYS.WORKSPACE_ID.eq(ETL_CHANGES.WORKSPACE_ID), ETL_DAYS.DAY.eq(day))
                .where(ETL_CHANGES.QUARTER.ge(oldest.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)),
                        workspace.map(WORKSPACES.NAME::eq).orElse(DSL.noCondition()))
                .forEach(r -> {
                    LocalDay local = new LocalDay(r.value1(), r.value2(), r.value4(), ZoneId.of(r.value3()));
                    if (local.isDue(now, grace) && local.end().isAfter(oldest)) {
                        due.add(new Due(local, r.value5() ? DailyFacts.Reason.LATE : DailyFacts.Reason.FIRST));
                    }
                });
        due.sort(ORDER);
        return due;
    }

    /** Every day from {@code from} to {@code to} (both included) of every workspace, or of the one named. */
    public List<Due> asked(LocalDate from, LocalDate to, Optional<String> workspace) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to: the range ends (" + to + ") before it starts (" + from + ")");
        }
        List<Due> due = new ArrayList<>();
        var workspaces = db.select(WORKSPACES.WORKSPACE_ID, WORKSPACES.NAME, WORKSPACES.TIME_ZONE).from(WORKSPACES)
                .where(workspace.map(WORKSPACES.NAME::eq).orElse(DSL.noCondition())).orderBy(WORKSPACES.NAME).fetch();
        if (workspace.isPresent() && workspaces.isEmpty()) {
            throw new IllegalArgumentException("workspace: there is no workspace " + workspace.get());
        }
        for (var w : workspaces) {
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                due.add(new Due(new LocalDay(w.value1(), w.value2(), day, ZoneId.of(w.value3())), DailyFacts.Reason.ASKED));
            }
        }
        due.sort(ORDER);
        return due;
    }

    private static final Comparator<Due> ORDER = Comparator.comparing((Due d) -> d.day().day()).thenComparing(d -> d.day().workspaceName());
}
