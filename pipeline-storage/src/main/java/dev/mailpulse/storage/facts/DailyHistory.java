package dev.mailpulse.storage.facts;

import static dev.mailpulse.storage.facts.Kpis.RATES;
import static dev.mailpulse.storage.facts.Kpis.RATE_COLUMNS;
import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_DAILY_KPIS;
import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_LIFETIME_KPIS;
import static dev.mailpulse.storage.jooq.Tables.DAILY_CAMPAIGN_FACTS;
import static dev.mailpulse.storage.jooq.Tables.ETL_DAYS;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.impl.DSL;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * What the nightly ETL wrote of one workspace's campaigns, read back: a campaign's days (workspace-local) with their
 * counts, KPIs, bounces by kind and revenue, and its lifetime KPIs. Every query is filtered by the workspace fixed
 * when the object is made.
 */
public final class DailyHistory {

    /** The KPIs of a campaign over a day or its life; a rate is empty where there was nothing to divide by. */
    public record Kpis(long sent, long delivered, long bounced, long complaints, long unsubscribes, long replies, long uniqueHumanOpeners,
                       long uniqueClickers, long uniqueHumanClickers, Optional<Double> deliveryRate, Optional<Double> humanOpenRate,
                       Optional<Double> clickRate, Optional<Double> humanClickRate, Optional<Double> clickToOpenRate,
                       Optional<Double> bounceRate, Optional<Double> complaintRate, Optional<Double> unsubscribeRate,
                       Optional<Double> replyRate) {
    }

    /**
     * One processed day of a campaign: counts by type, KPIs, bounces by kind, revenue per currency (of the conversions
     * that name the campaign), revenue attributed per currency (to the campaign, or to any, by the attribution's
     * rules); when, in which zone.
     */
    public record Day(LocalDate date, String timeZone, Instant processedAt, Map<String, Long> counts, Kpis kpis, Map<String, Long> bouncesByKind,
                      Map<String, BigDecimal> revenue, Map<String, BigDecimal> attributedRevenue) {
    }

    /** A campaign's life so far: its first and last processed days and its KPIs over them. */
    public record Lifetime(LocalDate firstDay, LocalDate lastDay, Kpis kpis) {
    }

    private final DSLContext db;
    private final UUID workspaceId;

    public DailyHistory(DSLContext db, UUID workspaceId) {
        this.db = Objects.requireNonNull(db, "db");
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /**
     * The campaign's processed days from {@code from} to {@code to}, both included, in order: those with its events, and
     * those with revenue attributed to it alone (a purchase days after the click), whose counts are zero.
     */
    public List<Day> days(String campaignId, LocalDate from, LocalDate to) {
        Facts facts = facts(Optional.of(campaignId), from, to);
        Map<LocalDate, Day> days = new TreeMap<>();
        db.select(CAMPAIGN_DAILY_KPIS.asterisk(), ETL_DAYS.TIME_ZONE, ETL_DAYS.PROCESSED_AT).from(CAMPAIGN_DAILY_KPIS).join(ETL_DAYS)
                .on(ETL_DAYS.WORKSPACE_ID.eq(CAMPAIGN_DAILY_KPIS.WORKSPACE_ID), ETL_DAYS.DAY.eq(CAMPAIGN_DAILY_KPIS.DAY))
                .where(CAMPAIGN_DAILY_KPIS.WORKSPACE_ID.eq(workspaceId), CAMPAIGN_DAILY_KPIS.CAMPAIGN_ID.eq(campaignId),
                        CAMPAIGN_DAILY_KPIS.DAY.between(from, to))
                .forEach(r -> days.put(r.get(CAMPAIGN_DAILY_KPIS.DAY),
                        facts.day(r.get(CAMPAIGN_DAILY_KPIS.DAY), r.get(ETL_DAYS.TIME_ZONE), r.get(ETL_DAYS.PROCESSED_AT), kpis(r))));
        if (!days.keySet().containsAll(facts.attributed().keySet())) {
            db.selectFrom(ETL_DAYS).where(ETL_DAYS.WORKSPACE_ID.eq(workspaceId), ETL_DAYS.DAY.in(facts.attributed().keySet()))
                    .forEach(r -> days.computeIfAbsent(r.getDay(), d -> facts.day(d, r.getTimeZone(), r.getProcessedAt(), NOTHING)));
        }
        return List.copyOf(days.values());
    }

    private static final Kpis NOTHING = new Kpis(0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The workspace's processed days from {@code from} to {@code to}, both included, in order: every campaign's events
     * and those of none, unique recipients counted once in each campaign (a recipient two campaigns reached is two).
     */
    public List<Day> workspaceDays(LocalDate from, LocalDate to) {
        Facts facts = facts(Optional.empty(), from, to);
        List<Day> days = new ArrayList<>();
        db.resultQuery("""
                SELECT t.*, r.*, d.time_zone, d.processed_at
                FROM (SELECT day, sum(sent) AS sent, sum(delivered) AS delivered, sum(bounced) AS bounced, sum(complaints) AS complaints,
                             sum(unsubscribes) AS unsubscribes, sum(replies) AS replies, sum(unique_human_openers) AS unique_human_openers,
                             sum(unique_clickers) AS unique_clickers, sum(unique_human_clickers) AS unique_human_clickers
                      FROM daily_campaign_facts WHERE workspace_id = ? AND day BETWEEN ? AND ? GROUP BY day) t
                CROSS JOIN LATERAL (SELECT %s) AS r(%s)
                JOIN etl_days d ON d.workspace_id = ? AND d.day = t.day
                ORDER BY t.day""".formatted(RATES, RATE_COLUMNS), workspaceId, from, to, workspaceId)
                .forEach(r -> days.add(facts.day(r.get("day", LocalDate.class), r.get("time_zone", String.class),
                        r.get("processed_at", OffsetDateTime.class), kpis(r))));
        return days;
    }

    /**
     * The days' counts by type, bounces by kind and revenue per currency, summed over the facts' rows (providers,
     * campaigns), and the revenue attributed.
     */
    private record Facts(Map<LocalDate, Map<String, Long>> counts, Map<LocalDate, Map<String, Long>> kinds,
                         Map<LocalDate, Map<String, BigDecimal>> revenue, Map<LocalDate, Map<String, BigDecimal>> attributed) {

        Day day(LocalDate day, String timeZone, OffsetDateTime processedAt, Kpis kpis) {
            return new Day(day, timeZone, processedAt.toInstant(), counts.getOrDefault(day, Map.of()), kpis, kinds.getOrDefault(day, Map.of()),
                    revenue.getOrDefault(day, Map.of()), attributed.getOrDefault(day, Map.of()));
        }
    }

    /** The facts of one campaign's days, or of the whole workspace's. */
    private Facts facts(Optional<String> campaignId, LocalDate from, LocalDate to) {
        Condition which = campaignId.map(DAILY_CAMPAIGN_FACTS.CAMPAIGN_ID::eq).orElse(DSL.trueCondition());
        Facts facts = new Facts(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new Revenue(db, workspaceId).attributedByDay(campaignId, from, to));
        db.select(DAILY_CAMPAIGN_FACTS.DAY, DAILY_CAMPAIGN_FACTS.COUNTS, DAILY_CAMPAIGN_FACTS.BOUNCES_BY_KIND, DAILY_CAMPAIGN_FACTS.REVENUE)
                .from(DAILY_CAMPAIGN_FACTS)
                .where(DAILY_CAMPAIGN_FACTS.WORKSPACE_ID.eq(workspaceId), which, DAILY_CAMPAIGN_FACTS.DAY.between(from, to))
                .forEach(r -> {
                    add(facts.counts().computeIfAbsent(r.value1(), d -> new TreeMap<>()), r.value2());
                    add(facts.kinds().computeIfAbsent(r.value1(), d -> new TreeMap<>()), r.value3());
                    read(r.value4()).properties().forEach(e -> facts.revenue().computeIfAbsent(r.value1(), d -> new TreeMap<>())
                            .merge(e.getKey(), e.getValue().decimalValue(), BigDecimal::add));
                });
        return facts;
    }

    public Optional<Lifetime> lifetime(String campaignId) {
        return db.selectFrom(CAMPAIGN_LIFETIME_KPIS)
                .where(CAMPAIGN_LIFETIME_KPIS.WORKSPACE_ID.eq(workspaceId), CAMPAIGN_LIFETIME_KPIS.CAMPAIGN_ID.eq(campaignId))
                .fetchOptional(r -> new Lifetime(r.getFirstDay(), r.getLastDay(), kpis(r)));
    }

    /** The KPI columns, which the daily and the lifetime tables name alike. */
    private static Kpis kpis(Record r) {
        return new Kpis(r.get("sent", Long.class), r.get("delivered", Long.class), r.get("bounced", Long.class), r.get("complaints", Long.class),
                r.get("unsubscribes", Long.class), r.get("replies", Long.class), r.get("unique_human_openers", Long.class),
                r.get("unique_clickers", Long.class), r.get("unique_human_clickers", Long.class), rate(r, "delivery_rate"),
                rate(r, "human_open_rate"), rate(r, "click_rate"), rate(r, "human_click_rate"), rate(r, "click_to_open_rate"),
                rate(r, "bounce_rate"), rate(r, "complaint_rate"), rate(r, "unsubscribe_rate"), rate(r, "reply_rate"));
    }

    private static Optional<Double> rate(Record r, String column) {
        return Optional.ofNullable(r.get(column, Double.class));
    }

    private static void add(Map<String, Long> into, JSON json) {
        read(json).properties().forEach(e -> into.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }

    private static JsonNode read(JSON json) {
        return WireJson.MAPPER.readTree(json.data());
    }
}
