package dev.mailpulse.storage.ml;

import static dev.mailpulse.storage.jooq.Tables.RECIPIENT_SEND_TIMES;
import static dev.mailpulse.storage.jooq.Tables.SEND_TIME_SEGMENTS;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep7;
import org.jooq.JSON;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.jooq.tables.records.RecipientSendTimesRecord;
import dev.mailpulse.storage.jooq.tables.records.SendTimeSegmentsRecord;
import tools.jackson.core.type.TypeReference;

/**
 * The promoted send-time model's outputs, as ml-train writes them and the console and the API read them: when each
 * mailbox provider's and recipient domain's sends get the most human clicks, and each recipient's best hour of week.
 * Replaced whole per workspace.
 */
public final class SendTimes {

    /** The kinds of segment the model profiles. */
    public static final List<String> SEGMENT_KINDS = List.of("provider", "domain");

    /**
     * One segment's profile.
     *
     * @param clickRate       its human clicks per send, shrunk toward the workspace's
     * @param hourLifts       by local hour of day (24): the click rate in that hour over the segment's
     * @param weekdayLifts    by weekday (7, Monday first)
     * @param bestHoursOfWeek up to 3, the best first (Monday 00:00 local is 0)
     * @param bestClickRate   expected at the best hour of week
     * @param lift            of sending at the best hour of week over the segment's sends as they were, with its 95%
     *                        interval {@code liftLow} to {@code liftHigh}
     */
    public record Segment(String kind, String segment, int modelVersion, long sends, long humanClicks, double clickRate, List<Double> hourLifts,
                          List<Double> weekdayLifts, List<Integer> bestHoursOfWeek, double bestClickRate, double lift, double liftLow,
                          double liftHigh) {

        public Segment {
            if (!SEGMENT_KINDS.contains(kind)) {
                throw new IllegalArgumentException("no segment kind '" + kind + "' (one of " + SEGMENT_KINDS + ")");
            }
            hourLifts = List.copyOf(hourLifts);
            weekdayLifts = List.copyOf(weekdayLifts);
            bestHoursOfWeek = List.copyOf(bestHoursOfWeek);
        }

        /** The local hour of day of its best hour of week. */
        public int bestHourOfDay() {
            return bestHoursOfWeek.get(0) % 24;
        }
    }

    /** A recipient's best hour of week, from its own sends ({@code basis} "recipient") or its domain's ("domain"). */
    public record RecipientTime(String recipientHash, String recipientDomain, String basis, long sends, int hourOfWeek, double clickRate) {
    }

    private static final TypeReference<List<Double>> NUMBERS = new TypeReference<>() {
    };
    private static final TypeReference<List<Integer>> HOURS = new TypeReference<>() {
    };
    private static final int ROWS_PER_INSERT = 1_000;

    private final DSLContext db;

    public SendTimes(DSLContext db) {
        this.db = db;
    }

    /** Replaces the workspace's segments and recipients' send times with these, in one transaction; returns the recipients written. */
    public long replace(UUID workspace, List<Segment> segments, Iterator<RecipientTime> recipients) {
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(SEND_TIME_SEGMENTS).where(SEND_TIME_SEGMENTS.WORKSPACE_ID.eq(workspace)).execute();
            t.deleteFrom(RECIPIENT_SEND_TIMES).where(RECIPIENT_SEND_TIMES.WORKSPACE_ID.eq(workspace)).execute();
            for (Segment s : segments) {
                t.insertInto(SEND_TIME_SEGMENTS).set(SEND_TIME_SEGMENTS.WORKSPACE_ID, workspace).set(SEND_TIME_SEGMENTS.SEGMENT_KIND, s.kind())
                        .set(SEND_TIME_SEGMENTS.SEGMENT, s.segment()).set(SEND_TIME_SEGMENTS.MODEL_VERSION, s.modelVersion())
                        .set(SEND_TIME_SEGMENTS.SENDS, s.sends()).set(SEND_TIME_SEGMENTS.HUMAN_CLICKS, s.humanClicks())
                        .set(SEND_TIME_SEGMENTS.CLICK_RATE, s.clickRate()).set(SEND_TIME_SEGMENTS.HOUR_LIFTS, json(s.hourLifts()))
                        .set(SEND_TIME_SEGMENTS.WEEKDAY_LIFTS, json(s.weekdayLifts())).set(SEND_TIME_SEGMENTS.BEST_HOURS_OF_WEEK, json(s.bestHoursOfWeek()))
                        .set(SEND_TIME_SEGMENTS.BEST_CLICK_RATE, s.bestClickRate()).set(SEND_TIME_SEGMENTS.LIFT, s.lift())
                        .set(SEND_TIME_SEGMENTS.LIFT_LOW, s.liftLow()).set(SEND_TIME_SEGMENTS.LIFT_HIGH, s.liftHigh()).execute();
            }
            long written = 0;
            while (recipients.hasNext()) {
                InsertValuesStep7<RecipientSendTimesRecord, UUID, String, String, String, Long, Integer, Double> insert = t.insertInto(
                        RECIPIENT_SEND_TIMES, RECIPIENT_SEND_TIMES.WORKSPACE_ID, RECIPIENT_SEND_TIMES.RECIPIENT_HASH, RECIPIENT_SEND_TIMES.RECIPIENT_DOMAIN,
                        RECIPIENT_SEND_TIMES.BASIS, RECIPIENT_SEND_TIMES.SENDS, RECIPIENT_SEND_TIMES.HOUR_OF_WEEK, RECIPIENT_SEND_TIMES.CLICK_RATE);
                for (int i = 0; i < ROWS_PER_INSERT && recipients.hasNext(); i++) {
                    RecipientTime r = recipients.next();
                    insert = insert.values(workspace, r.recipientHash(), r.recipientDomain(), r.basis(), r.sends(), r.hourOfWeek(), r.clickRate());
                    written++;
                }
                insert.execute();
            }
            return written;
        });
    }

    /** The workspace's segments of a kind, the most sends first. */
    public List<Segment> segments(UUID workspace, String kind) {
        return db.selectFrom(SEND_TIME_SEGMENTS).where(SEND_TIME_SEGMENTS.WORKSPACE_ID.eq(workspace), SEND_TIME_SEGMENTS.SEGMENT_KIND.eq(kind))
                .orderBy(SEND_TIME_SEGMENTS.SENDS.desc(), SEND_TIME_SEGMENTS.SEGMENT).fetch(SendTimes::segment);
    }

    /** Up to {@code limit} recipients' send times by recipient hash, after {@code after} (a stable cursor). */
    public List<RecipientTime> recipients(UUID workspace, Optional<String> after, int limit) {
        var query = db.selectFrom(RECIPIENT_SEND_TIMES).where(RECIPIENT_SEND_TIMES.WORKSPACE_ID.eq(workspace));
        if (after.isPresent()) {
            query = query.and(RECIPIENT_SEND_TIMES.RECIPIENT_HASH.gt(after.get()));
        }
        return query.orderBy(RECIPIENT_SEND_TIMES.RECIPIENT_HASH).limit(limit).fetch(SendTimes::recipient);
    }

    /** One recipient's send time. */
    public Optional<RecipientTime> recipient(UUID workspace, String recipientHash) {
        return db.selectFrom(RECIPIENT_SEND_TIMES)
                .where(RECIPIENT_SEND_TIMES.WORKSPACE_ID.eq(workspace), RECIPIENT_SEND_TIMES.RECIPIENT_HASH.eq(recipientHash))
                .fetchOptional(SendTimes::recipient);
    }

    private static Segment segment(SendTimeSegmentsRecord r) {
        return new Segment(r.getSegmentKind(), r.getSegment(), r.getModelVersion(), r.getSends(), r.getHumanClicks(), r.getClickRate(),
                WireJson.MAPPER.readValue(r.getHourLifts().data(), NUMBERS), WireJson.MAPPER.readValue(r.getWeekdayLifts().data(), NUMBERS),
                WireJson.MAPPER.readValue(r.getBestHoursOfWeek().data(), HOURS), r.getBestClickRate(), r.getLift(), r.getLiftLow(), r.getLiftHigh());
    }

    private static RecipientTime recipient(RecipientSendTimesRecord r) {
        return new RecipientTime(r.getRecipientHash(), r.getRecipientDomain(), r.getBasis(), r.getSends(), r.getHourOfWeek(), r.getClickRate());
    }

    private static JSON json(Object value) {
        return JSON.valueOf(WireJson.MAPPER.writeValueAsString(value));
    }
}
