package dev.mailpulse.storage.readmodel;

import static dev.mailpulse.storage.jooq.Tables.DAILY_CAMPAIGN_FACTS;
import static dev.mailpulse.storage.jooq.Tables.DAILY_DOMAIN_FACTS;
import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.facts.WholeDays;

/**
 * Breakdowns of one workspace's events by a {@link Dimension}, and deliverability by mailbox provider or recipient
 * domain, over a range of whole minutes of at most {@link #LONGEST}: the mailbox provider from the read model, which
 * keeps it, every other dimension from the raw store. Every query is filtered by the workspace fixed when the object
 * is made.
 */
public final class Breakdowns {

    /** The longest range counted from the raw store: a month, so that one query reads a bounded part of it. */
    public static final Duration LONGEST = Duration.ofDays(31);

    /** One value's count of one event type; {@code value} is null for events that have none (no country known). */
    public record Row(String value, String eventType, long events, long automated) {
    }

    /** The rows of the values with the most events, and how many values were left off. */
    public record Breakdown(List<Row> rows, int valuesLeftOff) {
    }

    /**
     * What became of the messages sent to one mailbox provider or domain. Deferred counts messages deferred at least
     * once; rates of sent messages (delivery, deferral, bounce, rejection) and of delivered ones (complaint,
     * unsubscribe) are absent when there is nothing to divide by.
     */
    public record Deliverability(String value, long sent, long delivered, long deferred, long bounced, Map<String, Long> bouncesByKind,
                                 long rejected, long complaints, long unsubscribes) {

        public Optional<Double> deliveryRate() {
            return Share.of(delivered, sent);
        }

        public Optional<Double> deferralRate() {
            return Share.of(deferred, sent);
        }

        public Optional<Double> bounceRate() {
            return Share.of(bounced, sent);
        }

        public Optional<Double> rejectionRate() {
            return Share.of(rejected, sent);
        }

        public Optional<Double> complaintRate() {
            return Share.of(complaints, delivered);
        }

        public Optional<Double> unsubscribeRate() {
            return Share.of(unsubscribes, delivered);
        }
    }

    private final DSLContext db;
    private final UUID workspaceId;

    public Breakdowns(DSLContext db, UUID workspaceId) {
        this.db = db;
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /** Counts by value and type of the {@code limit} values with the most events in {@code [from, to)}. */
    public Breakdown by(Dimension dimension, Instant from, Instant to, Optional<String> campaignId, int limit) {
        List<Row> rows;
        if (dimension == Dimension.MAILBOX_PROVIDER) {
            // the read model keeps it: a month of a busy campaign in a few thousand rows instead of its every event
            checkRange(from, to);
            Map<List<String>, long[]> summed = new LinkedHashMap<>();
            for (Resolution.Span span : Resolution.cover(from, to)) {
                Resolution resolution = span.resolution();
                Field<String> provider = resolution.field("mailbox_provider", String.class);
                Field<String> type = resolution.field("event_type", String.class);
                db.select(provider, type, DSL.sum(resolution.field("event_count", Long.class)), DSL.sum(resolution.field("automated_count", Long.class)))
                        .from(resolution.relation()).where(rollups(resolution, span.from(), span.to(), campaignId)).groupBy(provider, type)
                        .forEach(r -> {
                            long[] counts = summed.computeIfAbsent(List.of(r.value1(), r.value2()), key -> new long[2]);
                            counts[0] += r.value3().longValue();
                            counts[1] += r.value4().longValue();
                        });
            }
            rows = summed.entrySet().stream().map(e -> new Row(e.getKey().get(0), e.getKey().get(1), e.getValue()[0], e.getValue()[1])).toList();
        } else {
            Field<String> value = dimension.column();
            rows = db.select(value, EVENTS.EVENT_TYPE, DSL.count(), DSL.count().filterWhere(EVENTS.AUTOMATED.isTrue()))
                    .from(EVENTS).where(scope(from, to, campaignId, dimension.eventTypes())).groupBy(value, EVENTS.EVENT_TYPE)
                    .fetch(r -> new Row(r.value1(), r.value2(), r.value3(), r.value4()));
        }
        Map<String, Long> totals = new HashMap<>();
        rows.forEach(row -> totals.merge(Objects.requireNonNullElse(row.value(), ""), row.events(), Long::sum));
        Comparator<Map.Entry<String, Long>> mostFirst = Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());
        Set<String> kept = totals.entrySet().stream().sorted(mostFirst).limit(limit).map(Map.Entry::getKey).collect(Collectors.toSet());
        List<Row> top = rows.stream().filter(row -> kept.contains(Objects.requireNonNullElse(row.value(), "")))
                .sorted(Comparator.comparing((Row row) -> -totals.get(Objects.requireNonNullElse(row.value(), "")))
                        .thenComparing(Row::value, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Row::eventType))
                .toList();
        return new Breakdown(top, totals.size() - kept.size());
    }

    /**
     * Deliverability by mailbox provider or recipient domain in {@code [from, to)}, most messages sent first. The
     * counts of a mailbox provider come from the read model; those of a domain, and bounces by kind, from the nightly
     * facts of the range's whole days ({@link WholeDays}) and from the raw store for the rest; messages deferred, which
     * do not add up across days, from the raw store's index of bounces, deferrals and rejections alone.
     */
    public List<Deliverability> deliverability(Dimension by, Instant from, Instant to, Optional<String> campaignId) {
        if (by != Dimension.MAILBOX_PROVIDER && by != Dimension.RECIPIENT_DOMAIN) {
            throw new IllegalArgumentException("by: mailbox-provider or recipient-domain, not " + by.pathName());
        }
        checkRange(from, to);
        WholeDays split = WholeDays.within(db, workspaceId, from, to);
        Set<String> counted = Set.of("email.send", "email.deliver", "email.bounce", "email.reject", "email.complaint", "email.unsubscribe");
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (Row row : by == Dimension.MAILBOX_PROVIDER ? providerCounts(from, to, campaignId, counted) : domainCounts(split, campaignId, counted)) {
            counts.computeIfAbsent(Objects.requireNonNullElse(row.value(), ""), v -> new HashMap<>()).merge(row.eventType(), row.events(), Long::sum);
        }
        Map<String, Map<String, Long>> kinds = bouncesByKind(by, split, campaignId);
        Field<String> value = by.column();
        Map<String, Long> deferred = new HashMap<>();
        db.select(value, DSL.countDistinct(EVENTS.MESSAGE_ID)).from(EVENTS).where(scope(from, to, campaignId, Set.of("email.defer"))).groupBy(value)
                .forEach(r -> deferred.put(Objects.requireNonNullElse(r.value1(), ""), r.value2().longValue()));
        Set<String> values = new java.util.HashSet<>(counts.keySet());
        values.addAll(deferred.keySet());
        return values.stream().map(v -> {
                    Map<String, Long> c = counts.getOrDefault(v, Map.of());
                    return new Deliverability(v.isEmpty() ? null : v, c.getOrDefault("email.send", 0L), c.getOrDefault("email.deliver", 0L),
                            deferred.getOrDefault(v, 0L), c.getOrDefault("email.bounce", 0L), kinds.getOrDefault(v, Map.of()),
                            c.getOrDefault("email.reject", 0L), c.getOrDefault("email.complaint", 0L), c.getOrDefault("email.unsubscribe", 0L));
                })
                .sorted(Comparator.comparingLong(Deliverability::sent).reversed()
                        .thenComparing(Deliverability::value, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    /** Bounces by value and kind ("unknown" where none was given): summed from the whole days' facts and the raw store's rest. */
    private Map<String, Map<String, Long>> bouncesByKind(Dimension by, WholeDays split, Optional<String> campaignId) {
        Map<String, Map<String, Long>> kinds = new HashMap<>();
        if (!split.days().isEmpty()) {
            Table<?> facts = by == Dimension.MAILBOX_PROVIDER ? DAILY_CAMPAIGN_FACTS : DAILY_DOMAIN_FACTS;
            Field<String> value = by == Dimension.MAILBOX_PROVIDER ? DAILY_CAMPAIGN_FACTS.MAILBOX_PROVIDER : DAILY_DOMAIN_FACTS.RECIPIENT_DOMAIN;
            db.resultQuery("SELECT {0}, k.kind, sum(k.bounces::bigint) FROM {1} CROSS JOIN LATERAL jsonb_each_text({2}) AS k(kind, bounces) "
                                    + "WHERE {3} GROUP BY 1, 2", value, facts, facts.field("bounces_by_kind"),
                            factsOf(facts, split, campaignId))
                    .forEach(r -> kinds.computeIfAbsent(Objects.requireNonNullElse(r.get(0, String.class), ""), v -> new TreeMap<>())
                            .merge(r.get(1, String.class), r.get(2, Long.class), Long::sum));
        }
        Field<String> value = by.column();
        Field<String> kind = Dimension.BOUNCE_KIND.column();
        for (WholeDays.Span span : split.rest()) {
            db.select(value, kind, DSL.count()).from(EVENTS).where(scope(span.from(), span.to(), campaignId, Set.of("email.bounce")))
                    .groupBy(value, kind)
                    .forEach(r -> kinds.computeIfAbsent(Objects.requireNonNullElse(r.value1(), ""), v -> new TreeMap<>())
                            .merge(Objects.requireNonNullElse(r.value2(), "unknown"), r.value3().longValue(), Long::sum));
        }
        return kinds;
    }

    /** The rows of a facts table (keyed by workspace, day and campaign) of the whole days, for one campaign or all. */
    private Condition factsOf(Table<?> facts, WholeDays split, Optional<String> campaignId) {
        return facts.field("workspace_id", UUID.class).eq(workspaceId).and(facts.field("day", LocalDate.class).in(split.days()))
                .and(campaignId.map(facts.field("campaign_id", String.class)::eq).orElse(DSL.noCondition()));
    }

    private List<Row> providerCounts(Instant from, Instant to, Optional<String> campaignId, Set<String> types) {
        checkRange(from, to);
        List<Row> rows = new java.util.ArrayList<>();
        for (Resolution.Span span : Resolution.cover(from, to)) {
            Resolution resolution = span.resolution();
            Field<String> provider = resolution.field("mailbox_provider", String.class);
            Field<String> type = resolution.field("event_type", String.class);
            rows.addAll(db.select(provider, type, DSL.sum(resolution.field("event_count", Long.class)))
                    .from(resolution.relation()).where(rollups(resolution, span.from(), span.to(), campaignId), type.in(types)).groupBy(provider, type)
                    .fetch(r -> new Row(r.value1(), r.value2(), r.value3().longValue(), 0)));
        }
        return rows; // a value's counts add up across spans where they are summed
    }

    /** A domain's counts by type: from the facts of the whole days, from the raw store for the rest. */
    private List<Row> domainCounts(WholeDays split, Optional<String> campaignId, Set<String> types) {
        List<Row> rows = new java.util.ArrayList<>();
        if (!split.days().isEmpty()) {
            Map<String, Field<Long>> columns = Map.of("email.send", DAILY_DOMAIN_FACTS.SENT, "email.deliver", DAILY_DOMAIN_FACTS.DELIVERED,
                    "email.bounce", DAILY_DOMAIN_FACTS.BOUNCED, "email.reject", DAILY_DOMAIN_FACTS.REJECTED, "email.complaint",
                    DAILY_DOMAIN_FACTS.COMPLAINTS, "email.unsubscribe", DAILY_DOMAIN_FACTS.UNSUBSCRIBES);
            List<String> ordered = List.copyOf(types);
            List<Field<?>> sums = new java.util.ArrayList<>(List.of(DAILY_DOMAIN_FACTS.RECIPIENT_DOMAIN));
            ordered.forEach(type -> sums.add(DSL.sum(Objects.requireNonNull(columns.get(type), type))));
            db.select(sums).from(DAILY_DOMAIN_FACTS).where(factsOf(DAILY_DOMAIN_FACTS, split, campaignId))
                    .groupBy(DAILY_DOMAIN_FACTS.RECIPIENT_DOMAIN)
                    .forEach(r -> {
                        for (int i = 0; i < ordered.size(); i++) {
                            long events = r.get(i + 1, Long.class);
                            if (events > 0) { // as the raw store has no row of a type without events (a domain only opened)
                                rows.add(new Row(r.get(0, String.class), ordered.get(i), events, 0));
                            }
                        }
                    });
        }
        for (WholeDays.Span span : split.rest()) {
            db.select(EVENTS.RECIPIENT_DOMAIN, EVENTS.EVENT_TYPE, DSL.count()).from(EVENTS).where(scope(span.from(), span.to(), campaignId, types))
                    .groupBy(EVENTS.RECIPIENT_DOMAIN, EVENTS.EVENT_TYPE).forEach(r -> rows.add(new Row(r.value1(), r.value2(), r.value3(), 0)));
        }
        return rows; // a value's counts add up across days and spans
    }

    private static void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("to: the range ends after it starts (from " + from + ", to " + to + ")");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("to: a breakdown spans at most " + LONGEST.toDays() + " days");
        }
    }

    /** The read model's rows of the workspace (and campaign) in the range. */
    private Condition rollups(Resolution resolution, Instant from, Instant to, Optional<String> campaignId) {
        Field<OffsetDateTime> bucket = resolution.field("bucket", OffsetDateTime.class);
        return resolution.field("workspace_id", UUID.class).eq(workspaceId).and(bucket.ge(from.atOffset(ZoneOffset.UTC)))
                .and(bucket.lt(to.atOffset(ZoneOffset.UTC)))
                .and(campaignId.map(resolution.field("campaign_id", String.class)::eq).orElse(DSL.noCondition()));
    }

    /** The raw store's events of the workspace (and campaign, and types) in the range. */
    private Condition scope(Instant from, Instant to, Optional<String> campaignId, Set<String> eventTypes) {
        checkRange(from, to);
        return EVENTS.WORKSPACE_ID.eq(workspaceId)
                .and(EVENTS.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC))).and(EVENTS.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)))
                .and(campaignId.map(EVENTS.CAMPAIGN_ID::eq).orElse(DSL.noCondition()))
                .and(eventTypes.isEmpty() ? DSL.noCondition() : EventTypes.in(eventTypes));
    }
}
