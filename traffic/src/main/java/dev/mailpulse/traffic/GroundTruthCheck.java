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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.facts.Kpi;
import dev.mailpulse.storage.facts.Trends;
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

    /**
     * What the daily ETL derived for the business, against the truth: revenue credited per (local day, campaign,
     * method, currency) on every attributed day of the run, the costs the run's campaigns declared, and each campaign's
     * lifetime counts and benchmark ranks. Ranks are compared only where the ETL ranked exactly the run's campaigns
     * (another run's campaigns in the same 90 days change them); {@code notRanked} counts the workspaces where not.
     */
    public record BusinessResult(long days, long credits, long costs, long campaigns, long notRanked, List<String> differences) {

        public boolean matches() {
            return differences.isEmpty();
        }
    }

    public static BusinessResult checkBusiness(DSLContext db, GroundTruth truth) {
        List<String> differences = new ArrayList<>();
        Set<String> campaigns = new HashSet<>();
        truth.expectedDays().forEach(d -> campaigns.add(d.campaign()));
        campaigns.add("");
        Map<String, Map<String, String>> expected = new TreeMap<>();
        truth.expectedDays().forEach(d -> expected.computeIfAbsent(d.workspace() + " " + d.day(), k -> new TreeMap<>()));
        truth.attribution().forEach(c -> expected.computeIfAbsent(c.workspace() + " " + c.day(), k -> new TreeMap<>())
                .put(c.campaign() + " " + c.method() + " " + c.currency(), c.conversions() + " " + c.revenue().stripTrailingZeros().toPlainString()));
        long days = 0;
        long credits = 0;
        for (Map.Entry<String, Map<String, String>> day : expected.entrySet()) {
            UUID workspace = UUID.fromString(day.getKey().split(" ")[0]);
            LocalDate date = LocalDate.parse(day.getKey().split(" ")[1]);
            if (!db.fetchExists(DSL.selectOne().from(Tables.ETL_DAYS).where(Tables.ETL_DAYS.WORKSPACE_ID.eq(workspace), Tables.ETL_DAYS.DAY.eq(date),
                    Tables.ETL_DAYS.ATTRIBUTED_AT.isNotNull()))) {
                continue;
            }
            days++;
            var rows = Tables.DAILY_ATTRIBUTION;
            Map<String, String> found = new TreeMap<>();
            db.selectFrom(rows).where(rows.WORKSPACE_ID.eq(workspace), rows.DAY.eq(date), rows.CAMPAIGN_ID.in(campaigns))
                    .forEach(r -> found.put(r.getCampaignId() + " " + r.getMethod() + " " + r.getCurrency(),
                            r.getConversions() + " " + r.getRevenue().stripTrailingZeros().toPlainString()));
            Set<String> keys = new TreeSet<>(day.getValue().keySet());
            keys.addAll(found.keySet());
            for (String key : keys) {
                credits++;
                if (!Objects.equals(day.getValue().get(key), found.get(key))) {
                    differences.add("attribution " + day.getKey() + " " + key + ": expected " + day.getValue().getOrDefault(key, "none")
                            + ", daily_attribution " + found.getOrDefault(key, "none"));
                }
            }
        }
        var lifetime = Tables.CAMPAIGN_LIFETIME_KPIS;
        long costs = 0;
        for (GroundTruth.Cost cost : truth.costs()) {
            if (!db.fetchExists(lifetime, lifetime.WORKSPACE_ID.eq(cost.workspace()), lifetime.CAMPAIGN_ID.eq(cost.campaign()))) {
                continue;
            }
            costs++;
            var stored = db.selectFrom(Tables.CAMPAIGN_COSTS)
                    .where(Tables.CAMPAIGN_COSTS.WORKSPACE_ID.eq(cost.workspace()), Tables.CAMPAIGN_COSTS.CAMPAIGN_ID.eq(cost.campaign())).fetchOne();
            String want = cost.amount().stripTrailingZeros().toPlainString() + " " + cost.currency();
            String have = stored == null ? "none" : stored.getAmount().stripTrailingZeros().toPlainString() + " " + stored.getCurrency();
            if (!want.equals(have)) {
                differences.add("cost " + cost.workspace() + " " + cost.campaign() + ": expected " + want + ", campaign_costs " + have);
            }
        }
        long compared = 0;
        Set<UUID> notRanked = new HashSet<>();
        Map<UUID, Long> rankedByTruth = new HashMap<>();
        truth.campaigns().stream().filter(c -> !c.ranks().isEmpty()).forEach(c -> rankedByTruth.merge(c.workspace(), 1L, Long::sum));
        for (GroundTruth.CampaignKpis campaign : truth.campaigns()) {
            var row = db.selectFrom(lifetime).where(lifetime.WORKSPACE_ID.eq(campaign.workspace()), lifetime.CAMPAIGN_ID.eq(campaign.campaign()))
                    .fetchOne();
            if (row == null) {
                continue;
            }
            compared++;
            campaign.counts().forEach((column, count) -> {
                Long have = row.get(column, Long.class);
                if (!count.equals(have)) {
                    differences.add("lifetime " + campaign.workspace() + " " + campaign.campaign() + " " + column + ": expected " + count
                            + ", campaign_lifetime_kpis " + have);
                }
            });
            var benchmarks = Tables.CAMPAIGN_BENCHMARKS;
            Map<String, Double> ranks = new TreeMap<>();
            long ranked = 0;
            for (var rank : db.selectFrom(benchmarks).where(benchmarks.WORKSPACE_ID.eq(campaign.workspace()), benchmarks.CAMPAIGN_ID.eq(campaign.campaign()))) {
                ranks.put(rank.getKpi(), rank.getPercentile());
                ranked = rank.getCampaigns();
            }
            if (!ranks.isEmpty() && ranked != rankedByTruth.getOrDefault(campaign.workspace(), 0L)) {
                notRanked.add(campaign.workspace());
                continue;
            }
            Set<String> kpis = new TreeSet<>(campaign.ranks().keySet());
            kpis.addAll(ranks.keySet());
            for (String kpi : kpis) {
                Double want = campaign.ranks().get(kpi);
                Double have = ranks.get(kpi);
                if (want == null || have == null || Math.abs(want - have) > 1e-9) {
                    differences.add("rank " + campaign.workspace() + " " + campaign.campaign() + " " + kpi + ": expected " + want
                            + ", campaign_benchmarks " + have);
                }
            }
        }
        return new BusinessResult(days, credits, costs, compared, notRanked.size(), differences);
    }

    /**
     * The workspaces' trends of the KPIs the truth counts exactly (volume, conversions, and the rates of counts:
     * delivery, bounces, complaints, unsubscribes, replies), recomputed here from the truth's days: a day's value, its
     * 7- and 28-day moving values from the workspace's first processed day on, the week-over-week change. A trend's
     * day is compared where every day its window covers holds only the run's campaigns (another run's add to them).
     */
    public record TrendsResult(long compared, List<String> differences) {
    }

    public static TrendsResult checkTrends(DSLContext db, GroundTruth truth) {
        Set<String> columns = Set.of("sent", "delivered", "bounced", "complaints", "unsubscribes", "replies");
        Map<String, String[]> series = new TreeMap<>();
        for (Kpi kpi : Kpi.values()) {
            if (columns.contains(kpi.numerator()) && columns.contains(kpi.denominator())) {
                series.put(kpi.wireName(), new String[] {kpi.numerator(), kpi.denominator()});
            }
        }
        series.put("sent", new String[] {"sent", null});
        series.put("conversions", new String[] {"conversions", null});
        Map<String, String> typeColumns = Map.of("email.send", "sent", "email.deliver", "delivered", "email.bounce", "bounced",
                "email.complaint", "complaints", "email.unsubscribe", "unsubscribes", "email.reply", "replies");
        Set<String> campaigns = new HashSet<>();
        truth.expectedDays().forEach(d -> campaigns.add(d.campaign()));
        long compared = 0;
        List<String> differences = new ArrayList<>();
        for (GroundTruth.Workspace workspace : truth.workspaces()) {
            Map<LocalDate, Map<String, Long>> days = new HashMap<>();
            truth.expectedDays().stream().filter(d -> d.workspace().equals(workspace.id()) && typeColumns.containsKey(d.type()))
                    .forEach(d -> days.computeIfAbsent(d.day(), k -> new HashMap<>()).merge(typeColumns.get(d.type()), d.count(), Long::sum));
            truth.attribution().stream().filter(c -> c.workspace().equals(workspace.id()))
                    .forEach(c -> days.computeIfAbsent(c.day(), k -> new HashMap<>()).merge("conversions", c.conversions(), Long::sum));
            var etlDays = Tables.ETL_DAYS;
            LocalDate last = db.select(DSL.max(etlDays.DAY)).from(etlDays).where(etlDays.WORKSPACE_ID.eq(workspace.id())).fetchOne().value1();
            if (last == null) {
                continue;
            }
            LocalDate first = db.select(DSL.min(etlDays.DAY)).from(etlDays)
                    .where(etlDays.WORKSPACE_ID.eq(workspace.id()), etlDays.DAY.ge(last.minusDays(Trends.DAYS + 27))).fetchOne().value1();
            Set<LocalDate> impure = new HashSet<>();
            var kpis = Tables.CAMPAIGN_DAILY_KPIS;
            db.selectDistinct(kpis.DAY).from(kpis).where(kpis.WORKSPACE_ID.eq(workspace.id()), kpis.CAMPAIGN_ID.notIn(campaigns))
                    .forEach(r -> impure.add(r.value1()));
            var trends = Tables.WORKSPACE_TRENDS;
            for (var row : db.selectFrom(trends).where(trends.WORKSPACE_ID.eq(workspace.id()), trends.KPI.in(series.keySet()))) {
                String[] fraction = series.get(row.getKpi());
                LocalDate day = row.getDay();
                Double[] found = {row.getValue(), row.getAverage_7d(), row.getAverage_28d(), row.getWeekOverWeek()};
                Double week = window(days, fraction, first, day, 7);
                Double before = window(days, fraction, first, day.minusDays(7), 7);
                Double[] expected = {window(days, fraction, first, day, 1), week, window(days, fraction, first, day, 28),
                        week == null || before == null || before == 0 ? null : week / before - 1};
                int[] reach = {1, 7, 28, 14};
                String[] names = {"value", "average_7d", "average_28d", "week_over_week"};
                for (int i = 0; i < names.length; i++) {
                    LocalDate from = day.minusDays(reach[i] - 1);
                    if (impure.stream().anyMatch(d -> !d.isBefore(from) && !d.isAfter(day))) {
                        continue;
                    }
                    compared++;
                    boolean same = expected[i] == null ? found[i] == null
                            : found[i] != null && Math.abs(expected[i] - found[i]) <= 1e-9 * Math.max(1, Math.abs(expected[i]));
                    if (!same) {
                        differences.add("trend " + workspace.name() + " " + row.getKpi() + " " + day + " " + names[i] + ": expected " + expected[i]
                                + ", workspace_trends " + found[i]);
                    }
                }
            }
        }
        return new TrendsResult(compared, differences);
    }

    /** A KPI over the {@code length} days ending at {@code end}: null when they reach before {@code first} or nothing divides. */
    private static Double window(Map<LocalDate, Map<String, Long>> days, String[] fraction, LocalDate first, LocalDate end, int length) {
        LocalDate start = end.minusDays(length - 1);
        if (start.isBefore(first)) {
            return null;
        }
        long numerator = 0;
        long denominator = 0;
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            Map<String, Long> counts = days.getOrDefault(day, Map.of());
            numerator += counts.getOrDefault(fraction[0], 0L);
            denominator += fraction[1] == null ? 1 : counts.getOrDefault(fraction[1], 0L);
        }
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
