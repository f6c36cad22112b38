package dev.mailpulse.traffic;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.jooq.Tables;

/** The read model, and the live counters if asked, compared with a ground truth bucket by bucket. */
public final class GroundTruthCheck {

    /** A bucket whose count differs: what the read model holds, and the live counters (empty when not checked). */
    public record Difference(GroundTruth.Bucket bucket, long readModel, Optional<Long> live) {
    }

    public record Result(long buckets, long matching, long liveMatching, long expectedEvents, long storedEvents, long liveEvents,
                         boolean liveChecked, List<Difference> differences) {

        public boolean matches() {
            return differences.isEmpty();
        }
    }

    private GroundTruthCheck() {
    }

    /** The read model's hourly counts of the events of no campaign in {@code [from, to)}, of the given workspaces. */
    public static Map<GroundTruth.Key, Long> countsOfNoCampaign(DSLContext db, Collection<UUID> workspaces, Instant from, Instant to) {
        var counts = Tables.EVENT_COUNTS_1H;
        Map<GroundTruth.Key, Long> found = new HashMap<>();
        db.select(counts.WORKSPACE_ID, counts.EVENT_TYPE, counts.BUCKET, DSL.sum(counts.EVENT_COUNT)).from(counts)
                .where(counts.WORKSPACE_ID.in(workspaces), counts.CAMPAIGN_ID.isNull(),
                        counts.BUCKET.ge(from.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC)), counts.BUCKET.lt(to.atOffset(ZoneOffset.UTC)))
                .groupBy(counts.WORKSPACE_ID, counts.EVENT_TYPE, counts.BUCKET)
                .forEach(r -> found.put(new GroundTruth.Key(r.value1(), "", r.value2(), r.value3().toInstant()), r.value4().longValue()));
        return found;
    }

    public static Result check(DSLContext db, Optional<LiveCounters> live, GroundTruth truth) throws Exception {
        var counts = Tables.EVENT_COUNTS_1H;
        long matching = 0;
        long liveMatching = 0;
        long storedEvents = 0;
        long liveEvents = 0;
        List<Difference> differences = new ArrayList<>();
        for (GroundTruth.Bucket bucket : truth.expected()) {
            Long stored = db.select(DSL.sum(counts.EVENT_COUNT)).from(counts)
                    .where(counts.WORKSPACE_ID.eq(bucket.workspace()),
                            bucket.campaign().isEmpty() ? counts.CAMPAIGN_ID.isNull() : counts.CAMPAIGN_ID.eq(bucket.campaign()),
                            counts.EVENT_TYPE.eq(bucket.type()), counts.BUCKET.eq(bucket.hour().atOffset(ZoneOffset.UTC)))
                    .fetchOne(0, Long.class);
            long count = stored == null ? 0 : stored;
            Optional<Long> liveCount = live.isEmpty() ? Optional.empty()
                    : Optional.of(live.get().hourly(bucket.workspace(), bucket.campaign(), bucket.type(), bucket.hour()));
            storedEvents += count;
            liveEvents += liveCount.orElse(bucket.count());
            matching += count == bucket.count() ? 1 : 0;
            liveMatching += liveCount.orElse(bucket.count()) == bucket.count() ? 1 : 0;
            if (count != bucket.count() || liveCount.orElse(bucket.count()) != bucket.count()) {
                differences.add(new Difference(bucket, count, liveCount));
            }
        }
        return new Result(truth.expected().size(), matching, liveMatching, truth.expectedEvents(), storedEvents, liveEvents,
                live.isPresent(), differences);
    }
}
