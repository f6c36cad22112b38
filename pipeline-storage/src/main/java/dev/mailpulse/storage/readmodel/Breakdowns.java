package dev.mailpulse.storage.readmodel;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Breakdowns of one workspace's events by a {@link Dimension}, and deliverability by mailbox provider or recipient
 * domain, counted from the raw store over a range of at most {@link #LONGEST} (the read model keeps only the mailbox
 * provider; the raw store has every dimension). Every query is filtered by the workspace fixed when the object is made.
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
            return share(delivered, sent);
        }

        public Optional<Double> deferralRate() {
            return share(deferred, sent);
        }

        public Optional<Double> bounceRate() {
            return share(bounced, sent);
        }

        public Optional<Double> rejectionRate() {
            return share(rejected, sent);
        }

        public Optional<Double> complaintRate() {
            return share(complaints, delivered);
        }

        public Optional<Double> unsubscribeRate() {
            return share(unsubscribes, delivered);
        }

        private static Optional<Double> share(long part, long whole) {
            return whole == 0 ? Optional.empty() : Optional.of((double) part / whole);
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
        Field<String> value = dimension.column();
        Condition condition = scope(from, to, campaignId, dimension.eventTypes());
        List<Row> rows = db.select(value, EVENTS.EVENT_TYPE, DSL.count(), DSL.count().filterWhere(EVENTS.AUTOMATED.isTrue()))
                .from(EVENTS).where(condition).groupBy(value, EVENTS.EVENT_TYPE)
                .fetch(r -> new Row(r.value1(), r.value2(), r.value3(), r.value4()));
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

    /** Deliverability by mailbox provider or recipient domain in {@code [from, to)}, most messages sent first. */
    public List<Deliverability> deliverability(Dimension by, Instant from, Instant to, Optional<String> campaignId) {
        if (by != Dimension.MAILBOX_PROVIDER && by != Dimension.RECIPIENT_DOMAIN) {
            throw new IllegalArgumentException("by: mailbox-provider or recipient-domain, not " + by.pathName());
        }
        Field<String> value = by.column();
        Condition condition = scope(from, to, campaignId, Set.of("email.send", "email.deliver", "email.defer", "email.bounce",
                "email.reject", "email.complaint", "email.unsubscribe"));
        Map<String, Map<String, Long>> kinds = new HashMap<>();
        Field<String> kind = Dimension.BOUNCE_KIND.column();
        db.select(value, kind, DSL.count()).from(EVENTS).where(condition.and(EVENTS.EVENT_TYPE.eq("email.bounce"))).groupBy(value, kind)
                .forEach(r -> kinds.computeIfAbsent(Objects.requireNonNullElse(r.value1(), ""), v -> new LinkedHashMap<>())
                        .merge(Objects.requireNonNullElse(r.value2(), "unknown"), r.value3().longValue(), Long::sum));
        return db.select(value,
                        count("email.send"), count("email.deliver"),
                        DSL.countDistinct(EVENTS.MESSAGE_ID).filterWhere(EVENTS.EVENT_TYPE.eq("email.defer")),
                        count("email.bounce"), count("email.reject"), count("email.complaint"), count("email.unsubscribe"))
                .from(EVENTS).where(condition).groupBy(value)
                .fetch(r -> new Deliverability(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        kinds.getOrDefault(Objects.requireNonNullElse(r.value1(), ""), Map.of()), r.value6(), r.value7(), r.value8()))
                .stream().sorted(Comparator.comparingLong(Deliverability::sent).reversed()
                        .thenComparing(Deliverability::value, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    private static Field<Integer> count(String eventType) {
        return DSL.count().filterWhere(EVENTS.EVENT_TYPE.eq(eventType));
    }

    private Condition scope(Instant from, Instant to, Optional<String> campaignId, Set<String> eventTypes) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("to: the range ends after it starts (from " + from + ", to " + to + ")");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("to: a breakdown spans at most " + LONGEST.toDays() + " days");
        }
        return EVENTS.WORKSPACE_ID.eq(workspaceId)
                .and(EVENTS.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC))).and(EVENTS.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)))
                .and(campaignId.map(EVENTS.CAMPAIGN_ID::eq).orElse(DSL.noCondition()))
                .and(eventTypes.isEmpty() ? DSL.noCondition() : EVENTS.EVENT_TYPE.in(eventTypes));
    }
}
