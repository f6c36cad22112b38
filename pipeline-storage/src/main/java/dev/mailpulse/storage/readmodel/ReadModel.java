package dev.mailpulse.storage.readmodel;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGNS;
import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.impl.DSL;

/**
 * Queries of the read model for one workspace: its campaigns, time series, totals and rates.
 * The workspace is fixed when the object is made and every query is filtered by it, so no query can read another
 * workspace's data. Which engine keeps the read model does not matter here.
 */
public final class ReadModel {

    /** Event counts of one type in one bucket. */
    public record Point(Instant bucket, String eventType, long events, long automated, OptionalLong uniqueRecipients,
                        OptionalLong uniqueHumanRecipients) {
    }

    /** A campaign with events: its name where the workspace registered it, and its number of events. */
    public record Campaign(String campaignId, Optional<String> name, long events) {
    }

    /**
     * Totals over a range and the rates a sender watches. Unique openers and clickers are counted over the whole range
     * from the raw store (distinct recipients cannot be added up across buckets); rates are shares of delivered
     * messages, and are absent when nothing was delivered.
     */
    public record Totals(Map<String, Long> eventsByType, long machineOpens, long botClicks, long uniqueOpeners, long uniqueHumanOpeners,
                         long uniqueClickers, long uniqueHumanClickers, Map<String, Long> bouncesByKind, Map<String, BigDecimal> revenueByCurrency) {

        public long count(String eventType) {
            return eventsByType.getOrDefault(eventType, 0L);
        }

        public Optional<Double> deliveryRate() {
            return Share.of(count("email.deliver"), count("email.send"));
        }

        public Optional<Double> humanOpenRate() {
            return Share.of(uniqueHumanOpeners, count("email.deliver"));
        }

        public Optional<Double> openRate() {
            return Share.of(uniqueOpeners, count("email.deliver"));
        }

        public Optional<Double> humanClickRate() {
            return Share.of(uniqueHumanClickers, count("email.deliver"));
        }

        public Optional<Double> clickRate() {
            return Share.of(uniqueClickers, count("email.deliver"));
        }

        public Optional<Double> replyRate() {
            return Share.of(count("email.reply"), count("email.deliver"));
        }

        public Optional<Double> bounceRate() {
            return Share.of(count("email.bounce"), count("email.send"));
        }

        public Optional<Double> complaintRate() {
            return Share.of(count("email.complaint"), count("email.deliver"));
        }

        public Optional<Double> unsubscribeRate() {
            return Share.of(count("email.unsubscribe"), count("email.deliver"));
        }
    }

    private final DSLContext db;
    private final UUID workspaceId;

    public ReadModel(DSLContext db, UUID workspaceId) {
        this.db = db;
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /**
     * The workspace's campaigns that have events, in the order of their ids: at most {@code limit} of them, after the
     * id {@code after} (the last of the page before) if given.
     */
    public List<Campaign> campaigns(Optional<String> after, int limit) {
        Field<String> campaign = Resolution.DAY.field("campaign_id", String.class);
        Condition condition = Resolution.DAY.field("workspace_id", UUID.class).eq(workspaceId).and(campaign.isNotNull())
                .and(after.map(campaign::gt).orElse(DSL.noCondition()));
        return named(db.select(campaign, DSL.sum(Resolution.DAY.field("event_count", Long.class)))
                .from(Resolution.DAY.relation()).where(condition).groupBy(campaign).orderBy(campaign).limit(limit).fetch());
    }

    /** The campaigns with events in the minutes since {@code since}, the busiest first: the ones active now. */
    public List<Campaign> activeSince(Instant since, int limit) {
        Field<String> campaign = Resolution.MINUTE.field("campaign_id", String.class);
        Field<BigDecimal> events = DSL.sum(Resolution.MINUTE.field("event_count", Long.class));
        return named(db.select(campaign, events).from(Resolution.MINUTE.relation())
                .where(Resolution.MINUTE.field("workspace_id", UUID.class).eq(workspaceId), campaign.isNotNull(),
                        Resolution.MINUTE.field("bucket", OffsetDateTime.class).ge(since.truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC)))
                .groupBy(campaign).orderBy(events.desc(), campaign).limit(limit).fetch());
    }

    /** Campaigns with their event counts, in the order given, with the names the workspace registered for them. */
    private List<Campaign> named(Result<Record2<String, BigDecimal>> counted) {
        Map<String, String> names = new LinkedHashMap<>();
        db.select(CAMPAIGNS.CAMPAIGN_ID, CAMPAIGNS.NAME).from(CAMPAIGNS)
                .where(CAMPAIGNS.WORKSPACE_ID.eq(workspaceId), CAMPAIGNS.CAMPAIGN_ID.in(counted.map(Record2::value1)))
                .forEach(r -> names.put(r.value1(), r.value2()));
        return counted.map(r -> new Campaign(r.value1(), Optional.ofNullable(names.get(r.value1())), r.value2().longValue()));
    }

    /** A campaign's counts by type over a range, with its name and status where the workspace registered it. */
    public record CampaignCounts(String campaignId, Optional<String> name, Optional<String> status, Map<String, Long> eventsByType) {

        public long count(String eventType) {
            return eventsByType.getOrDefault(eventType, 0L);
        }
    }

    /** What only the raw store can say of a campaign over a range: its unique human openers and clickers, its revenue. */
    public record Engagement(long uniqueHumanOpeners, long uniqueHumanClickers, Map<String, BigDecimal> revenueByCurrency) {
    }

    /** Every campaign with events in {@code [from, to)} (whole minutes), with its counts by type, in the order of their ids. */
    public List<CampaignCounts> countsByCampaign(Instant from, Instant to) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Resolution.Span span : Resolution.cover(from, to)) {
            Resolution resolution = span.resolution();
            Field<String> campaign = resolution.field("campaign_id", String.class);
            Field<String> type = resolution.field("event_type", String.class);
            db.select(campaign, type, DSL.sum(resolution.field("event_count", Long.class))).from(resolution.relation())
                    .where(scope(resolution, span.from(), span.to(), Optional.empty()), campaign.isNotNull())
                    .groupBy(campaign, type)
                    .forEach(r -> counts.computeIfAbsent(r.value1(), c -> new TreeMap<>()).merge(r.value2(), r.value3().longValue(), Long::sum));
        }
        Map<String, String[]> registered = new HashMap<>();
        db.select(CAMPAIGNS.CAMPAIGN_ID, CAMPAIGNS.NAME, CAMPAIGNS.STATUS).from(CAMPAIGNS)
                .where(CAMPAIGNS.WORKSPACE_ID.eq(workspaceId), CAMPAIGNS.CAMPAIGN_ID.in(counts.keySet()))
                .forEach(r -> registered.put(r.value1(), new String[] {r.value2(), r.value3()}));
        List<CampaignCounts> campaigns = new ArrayList<>(counts.size());
        counts.forEach((id, byType) -> {
            String[] known = registered.get(id);
            campaigns.add(new CampaignCounts(id, Optional.ofNullable(known == null ? null : known[0]), Optional.ofNullable(known == null ? null : known[1]),
                    byType));
        });
        return campaigns;
    }

    /** The engagement of each of the given campaigns over {@code [from, to)}, in two queries whatever their number. */
    public Map<String, Engagement> engagement(Collection<String> campaignIds, Instant from, Instant to) {
        Condition raw = EVENTS.WORKSPACE_ID.eq(workspaceId).and(EVENTS.CAMPAIGN_ID.in(campaignIds))
                .and(EVENTS.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC))).and(EVENTS.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)));
        Map<String, Map<String, BigDecimal>> revenue = new HashMap<>();
        Field<String> currency = conversionCurrency();
        db.select(EVENTS.CAMPAIGN_ID, currency, DSL.sum(conversionAmount())).from(EVENTS)
                .where(raw.and(EventTypes.is("email.conversion")), currency.isNotNull())
                .groupBy(EVENTS.CAMPAIGN_ID, currency).orderBy(EVENTS.CAMPAIGN_ID, currency)
                .forEach(r -> revenue.computeIfAbsent(r.value1(), c -> new LinkedHashMap<>()).put(r.value2(), r.value3()));
        Map<String, Engagement> engagement = new HashMap<>();
        db.select(EVENTS.CAMPAIGN_ID,
                        DSL.countDistinct(EVENTS.RECIPIENT_HASH).filterWhere(EventTypes.is("email.open")),
                        DSL.countDistinct(EVENTS.RECIPIENT_HASH).filterWhere(EventTypes.is("email.click")))
                .from(EVENTS).where(raw.and(EventTypes.in("email.open", "email.click")).and(EVENTS.AUTOMATED.isFalse()))
                .groupBy(EVENTS.CAMPAIGN_ID)
                .forEach(r -> engagement.put(r.value1(), new Engagement(r.value2(), r.value3(), revenue.getOrDefault(r.value1(), Map.of()))));
        for (String campaign : campaignIds) {
            engagement.putIfAbsent(campaign, new Engagement(0, 0, revenue.getOrDefault(campaign, Map.of())));
        }
        return engagement;
    }

    private static Field<String> conversionCurrency() {
        return DSL.field("{0}->>'currency'", String.class, EVENTS.ATTRIBUTES);
    }

    /** A conversion's amount as sent (the schema makes it a decimal number beside its currency). */
    private static Field<BigDecimal> conversionAmount() {
        return DSL.field("({0}->>'amount')::numeric", BigDecimal.class, EVENTS.ATTRIBUTES);
    }

    /** Whether the workspace knows the campaign: it has events, or it was registered. */
    public boolean hasCampaign(String campaignId) {
        return db.fetchExists(Resolution.DAY.relation(), Resolution.DAY.field("workspace_id", UUID.class).eq(workspaceId)
                        .and(Resolution.DAY.field("campaign_id", String.class).eq(campaignId)))
                || db.fetchExists(CAMPAIGNS, CAMPAIGNS.WORKSPACE_ID.eq(workspaceId).and(CAMPAIGNS.CAMPAIGN_ID.eq(campaignId)));
    }

    /**
     * Counts per bucket and event type in {@code [from, to)}, for one campaign or the whole workspace, with buckets
     * starting at {@code zone}'s midnights and hours. Unique recipients are exact for a campaign in a bucket the read
     * model keeps (for the whole workspace a recipient active in several campaigns within one bucket is counted once
     * per campaign); where the zone's buckets are made of finer ones (a day in Europe/Paris of 24 hours, an hour in
     * Asia/Kathmandu of 60 minutes) they cannot be added up, and are absent.
     */
    public List<Point> timeSeries(Resolution resolution, Instant from, Instant to, Optional<String> campaignId, ZoneId zone) {
        Resolution source = resolution.finestSourceIn(zone, from, to);
        if (source != resolution && source == Resolution.MINUTE && Duration.between(from, to).compareTo(Breakdowns.LONGEST) > 0) {
            throw new IllegalArgumentException("to: a " + resolution.name().toLowerCase(Locale.ROOT) + " series in " + zone.getId()
                    + " (an offset of minutes from UTC) spans at most " + Breakdowns.LONGEST.toDays() + " days");
        }
        if (source != resolution) {
            // a bucket cut by the range would be labelled with its start yet hold only part of it
            startsABucket("from", from, resolution, zone);
            startsABucket("to", to, resolution, zone);
        }
        Field<OffsetDateTime> kept = source.field("bucket", OffsetDateTime.class);
        Field<OffsetDateTime> bucket = source == resolution ? kept
                : DSL.field("date_trunc({0}, {1}, {2})", OffsetDateTime.class, DSL.inline(resolution.name().toLowerCase(Locale.ROOT)), kept,
                        DSL.inline(zone.getId())); // inline: the same expression in select and group by
        Field<String> type = source.field("event_type", String.class);
        boolean exactUniques = source == resolution;
        return db.select(bucket, type,
                        DSL.sum(source.field("event_count", Long.class)),
                        DSL.sum(source.field("automated_count", Long.class)),
                        DSL.sum(source.field("unique_recipients", Long.class)),
                        DSL.sum(source.field("unique_human_recipients", Long.class)))
                .from(source.relation())
                .where(scope(source, from, to, campaignId))
                .groupBy(bucket, type)
                .orderBy(bucket, type)
                .fetch(r -> new Point(r.value1().toInstant(), r.value2(), r.value3().longValue(), r.value4().longValue(),
                        // Summing over providers is exact: a recipient's address has one mailbox provider.
                        exactUniques ? OptionalLong.of(r.value5().longValue()) : OptionalLong.empty(),
                        exactUniques ? OptionalLong.of(r.value6().longValue()) : OptionalLong.empty()));
    }

    /** Totals and rates over {@code [from, to)}; the range must start and end on whole minutes. */
    public Totals totals(Instant from, Instant to, Optional<String> campaignId) {
        Map<String, Long> byType = new TreeMap<>();
        long machineOpens = 0;
        long botClicks = 0;
        for (Resolution.Span span : Resolution.cover(from, to)) {
            Resolution resolution = span.resolution();
            Field<String> type = resolution.field("event_type", String.class);
            for (var row : db.select(type, DSL.sum(resolution.field("event_count", Long.class)), DSL.sum(resolution.field("automated_count", Long.class)))
                    .from(resolution.relation()).where(scope(resolution, span.from(), span.to(), campaignId)).groupBy(type).fetch()) {
                byType.merge(row.value1(), row.value2().longValue(), Long::sum);
                machineOpens += row.value1().equals("email.open") ? row.value3().longValue() : 0;
                botClicks += row.value1().equals("email.click") ? row.value3().longValue() : 0;
            }
        }
        Condition raw = EVENTS.WORKSPACE_ID.eq(workspaceId)
                .and(EVENTS.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC))).and(EVENTS.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)))
                .and(campaignId.map(EVENTS.CAMPAIGN_ID::eq).orElse(DSL.noCondition()));
        var uniques = db.select(
                        DSL.countDistinct(EVENTS.RECIPIENT_HASH).filterWhere(EventTypes.is("email.open")),
                        DSL.countDistinct(EVENTS.RECIPIENT_HASH).filterWhere(EventTypes.is("email.open").and(EVENTS.AUTOMATED.isFalse())),
                        DSL.countDistinct(EVENTS.RECIPIENT_HASH).filterWhere(EventTypes.is("email.click")),
                        DSL.countDistinct(EVENTS.RECIPIENT_HASH).filterWhere(EventTypes.is("email.click").and(EVENTS.AUTOMATED.isFalse())))
                .from(EVENTS).where(raw.and(EventTypes.in("email.open", "email.click"))).fetchOne();
        Field<String> kind = DSL.field("{0}->>'bounce_kind'", String.class, EVENTS.ATTRIBUTES);
        Map<String, Long> bouncesByKind = new LinkedHashMap<>();
        db.select(kind, DSL.count()).from(EVENTS).where(raw.and(EventTypes.is("email.bounce"))).groupBy(kind).orderBy(kind)
                .forEach(r -> bouncesByKind.put(Objects.requireNonNullElse(r.value1(), "unknown"), r.value2().longValue()));
        Field<String> currency = conversionCurrency();
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        db.select(currency, DSL.sum(conversionAmount())).from(EVENTS).where(raw.and(EventTypes.is("email.conversion")), currency.isNotNull())
                .groupBy(currency).orderBy(currency).forEach(r -> revenue.put(r.value1(), r.value2()));
        return new Totals(byType, machineOpens, botClicks, uniques.value1(), uniques.value2(), uniques.value3(), uniques.value4(), bouncesByKind,
                revenue);
    }

    private static void startsABucket(String parameter, Instant instant, Resolution resolution, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        ZonedDateTime start = local.truncatedTo(resolution.unit());
        if (!start.equals(local)) {
            throw new IllegalArgumentException(parameter + ": the start of a " + resolution.name().toLowerCase(Locale.ROOT) + " in "
                    + zone.getId() + " (such as " + start.toOffsetDateTime() + "), not " + instant);
        }
    }

    private Condition scope(Resolution resolution, Instant from, Instant to, Optional<String> campaignId) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a range ends after it starts: " + from + " .. " + to);
        }
        Field<OffsetDateTime> bucket = resolution.field("bucket", OffsetDateTime.class);
        List<Condition> conditions = new ArrayList<>();
        conditions.add(resolution.field("workspace_id", UUID.class).eq(workspaceId));
        conditions.add(bucket.ge(from.atOffset(ZoneOffset.UTC)));
        conditions.add(bucket.lt(to.atOffset(ZoneOffset.UTC)));
        campaignId.ifPresent(campaign -> conditions.add(resolution.field("campaign_id", String.class).eq(campaign)));
        return DSL.and(conditions);
    }
}
