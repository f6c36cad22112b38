package dev.mailpulse.traffic;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.jooq.Tables;

/**
 * The read model, and the live counters if asked, compared with a ground truth bucket by bucket; and the daily ETL's
 * facts with the truth of each local day it has processed.
 */
public final class GroundTruthCheck {

    /**
     * The live cache keeps minute counters for 48 hours by default ({@code mailpulse.live-cache.minutes-kept}): the
     * hours that began longer ago than this are compared in the read model only.
     */
    public static final Duration LIVE_HORIZON = Duration.ofHours(47);

    /** A day whose count of one type differs for one campaign: what the daily facts hold. */
    public record DayDifference(GroundTruth.DayBucket bucket, long facts) {
    }

    /**
     * @param days         the (workspace, local day) pairs of the truth
     * @param processed    those the ETL has processed
     * @param buckets      the (campaign, type) counts of the processed days
     * @param matching     those equal to the truth
     */
    public record DaysResult(long days, long processed, long buckets, long matching, List<DayDifference> differences) {

        public boolean matches() {
            return differences.isEmpty();
        }
    }

    /** A bucket whose count differs: what the read model holds, and the live counters (empty when not checked). */
    public record Difference(GroundTruth.Bucket bucket, long readModel, Optional<Long> live) {
    }

    /**
     * @param liveBuckets the buckets compared in the live counters too (those of the live cache's horizon), of which
     *                    {@code liveMatching} equal the truth, {@code liveExpected} events expected and {@code liveEvents}
     *                    counted
     */
    public record Result(long buckets, long matching, long expectedEvents, long storedEvents, long liveBuckets, long liveMatching,
                         long liveExpected, long liveEvents, boolean liveChecked, List<Difference> differences) {

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
        Map<GroundTruth.Key, Long> readModel = readModel(db, truth);
        Instant liveSince = Instant.now().minus(LIVE_HORIZON);
        long matching = 0;
        long storedEvents = 0;
        long liveBuckets = 0;
        long liveMatching = 0;
        long liveExpected = 0;
        long liveEvents = 0;
        List<Difference> differences = new ArrayList<>();
        for (GroundTruth.Bucket bucket : truth.expected()) {
            long count = readModel.getOrDefault(new GroundTruth.Key(bucket.workspace(), bucket.campaign(), bucket.type(), bucket.hour()), 0L);
            Optional<Long> liveCount = live.isEmpty() || bucket.hour().isBefore(liveSince) ? Optional.empty()
                    : Optional.of(live.get().hourly(bucket.workspace(), bucket.campaign(), bucket.type(), bucket.hour()));
            storedEvents += count;
            matching += count == bucket.count() ? 1 : 0;
            if (liveCount.isPresent()) {
                liveBuckets++;
                liveExpected += bucket.count();
                liveEvents += liveCount.get();
                liveMatching += liveCount.get() == bucket.count() ? 1 : 0;
            }
            if (count != bucket.count() || liveCount.orElse(bucket.count()) != bucket.count()) {
                differences.add(new Difference(bucket, count, liveCount));
            }
        }
        return new Result(truth.expected().size(), matching, truth.expectedEvents(), storedEvents, liveBuckets, liveMatching, liveExpected,
                liveEvents, live.isPresent(), differences);
    }

    /** The read model's hourly counts over each workspace's range of the truth, in one query a workspace. */
    private static Map<GroundTruth.Key, Long> readModel(DSLContext db, GroundTruth truth) {
        var counts = Tables.EVENT_COUNTS_1H;
        Map<UUID, Instant[]> ranges = new HashMap<>();
        for (GroundTruth.Bucket bucket : truth.expected()) {
            ranges.merge(bucket.workspace(), new Instant[] {bucket.hour(), bucket.hour()}, (a, b) ->
                    new Instant[] {a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
        Map<GroundTruth.Key, Long> found = new HashMap<>();
        var campaign = DSL.coalesce(counts.CAMPAIGN_ID, DSL.inline(""));
        ranges.forEach((workspace, range) -> db.select(campaign, counts.EVENT_TYPE, counts.BUCKET, DSL.sum(counts.EVENT_COUNT))
                .from(counts)
                .where(counts.WORKSPACE_ID.eq(workspace), counts.BUCKET.between(range[0].atOffset(ZoneOffset.UTC), range[1].atOffset(ZoneOffset.UTC)))
                .groupBy(campaign, counts.EVENT_TYPE, counts.BUCKET)
                .forEach(r -> found.put(new GroundTruth.Key(workspace, r.value1(), r.value2(), r.value3().toInstant()), r.value4().longValue())));
        return found;
    }

    /**
     * The daily facts of the truth's campaigns, summed over mailbox providers, against the truth of every local day the
     * ETL has processed; both ways, so that a count the facts hold and the truth does not is a difference too.
     */
    public static DaysResult checkDays(DSLContext db, GroundTruth truth) {
        var facts = Tables.DAILY_CAMPAIGN_FACTS;
        var days = Tables.ETL_DAYS;
        Map<UUID, Map<LocalDate, Map<String, Long>>> expected = new HashMap<>();
        Set<String> campaigns = new HashSet<>();
        for (GroundTruth.DayBucket bucket : truth.expectedDays()) {
            expected.computeIfAbsent(bucket.workspace(), w -> new TreeMap<>()).computeIfAbsent(bucket.day(), d -> new HashMap<>())
                    .put(bucket.campaign() + " " + bucket.type(), bucket.count());
            campaigns.add(bucket.campaign());
        }
        long dayCount = 0;
        long processed = 0;
        long buckets = 0;
        long matching = 0;
        List<DayDifference> differences = new ArrayList<>();
        for (Map.Entry<UUID, Map<LocalDate, Map<String, Long>>> workspace : expected.entrySet()) {
            for (Map.Entry<LocalDate, Map<String, Long>> day : workspace.getValue().entrySet()) {
                dayCount++;
                if (!db.fetchExists(days, days.WORKSPACE_ID.eq(workspace.getKey()), days.DAY.eq(day.getKey()))) {
                    continue;
                }
                processed++;
                Map<String, Long> found = new HashMap<>();
                db.select(facts.CAMPAIGN_ID, facts.COUNTS).from(facts)
                        .where(facts.WORKSPACE_ID.eq(workspace.getKey()), facts.DAY.eq(day.getKey()), facts.CAMPAIGN_ID.in(campaigns))
                        .forEach(row -> WireJson.MAPPER.readTree(row.value2().data()).properties()
                                .forEach(count -> found.merge(row.value1() + " " + count.getKey(), count.getValue().asLong(), Long::sum)));
                Set<String> keys = new TreeSet<>(day.getValue().keySet());
                keys.addAll(found.keySet());
                for (String key : keys) {
                    long want = day.getValue().getOrDefault(key, 0L);
                    long have = found.getOrDefault(key, 0L);
                    buckets++;
                    if (want == have) {
                        matching++;
                    } else {
                        String[] campaignAndType = key.split(" ", 2);
                        differences.add(new DayDifference(new GroundTruth.DayBucket(workspace.getKey(), campaignAndType[0], campaignAndType[1],
                                day.getKey(), want), have));
                    }
                }
            }
        }
        return new DaysResult(dayCount, processed, buckets, matching, differences);
    }
}
