package dev.mailpulse.storage.facts;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_COSTS;
import static dev.mailpulse.storage.jooq.Tables.DAILY_ATTRIBUTION;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A workspace's attributed revenue and campaign costs, read back, and its campaigns' return on investment: per
 * currency, (attributed revenue − cost) ÷ cost where the revenue is in the cost's currency. Revenue in other
 * currencies is shown beside it and never converted silently. Every query is filtered by the workspace fixed when the
 * object is made.
 */
public final class Revenue {

    /** What a campaign costs, where that came from (its campaign.create event, or set by someone), and when. */
    public record Cost(BigDecimal amount, String currency, String source, Instant setAt, String setBy) {
    }

    /** The revenue credited to a campaign in one currency: conversions, amount, and the amount by method. */
    public record Credited(String currency, long conversions, BigDecimal revenue, Map<String, BigDecimal> byMethod) {
    }

    /**
     * A campaign's return: its cost, its revenue per currency, and the ROI in the cost's currency (empty without a cost,
     * or with a cost of zero).
     */
    public record Roi(String campaignId, Optional<Cost> cost, List<Credited> revenue, Optional<BigDecimal> roi) {
    }

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    /** A cost above this is a typing error, not a campaign. */
    private static final BigDecimal MOST = new BigDecimal("1000000000000");

    private final DSLContext db;
    private final UUID workspaceId;

    public Revenue(DSLContext db, UUID workspaceId) {
        this.db = Objects.requireNonNull(db, "db");
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    public Roi roi(String campaignId) {
        Optional<Cost> cost = db.selectFrom(CAMPAIGN_COSTS).where(CAMPAIGN_COSTS.WORKSPACE_ID.eq(workspaceId), CAMPAIGN_COSTS.CAMPAIGN_ID.eq(campaignId))
                .fetchOptional(r -> new Cost(plain(r.getAmount()), r.getCurrency(), r.getSource(), r.getSetAt().toInstant(), r.getSetBy()));
        Map<String, long[]> conversions = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> byMethod = new TreeMap<>();
        db.select(DAILY_ATTRIBUTION.CURRENCY, DAILY_ATTRIBUTION.METHOD, DSL.sum(DAILY_ATTRIBUTION.CONVERSIONS), DSL.sum(DAILY_ATTRIBUTION.REVENUE))
                .from(DAILY_ATTRIBUTION).where(DAILY_ATTRIBUTION.WORKSPACE_ID.eq(workspaceId), DAILY_ATTRIBUTION.CAMPAIGN_ID.eq(campaignId))
                .groupBy(DAILY_ATTRIBUTION.CURRENCY, DAILY_ATTRIBUTION.METHOD)
                .forEach(r -> {
                    conversions.computeIfAbsent(r.value1(), c -> new long[1])[0] += r.value3().longValue();
                    byMethod.computeIfAbsent(r.value1(), c -> new TreeMap<>()).put(r.value2(), plain(r.value4()));
                });
        List<Credited> revenue = byMethod.entrySet().stream().map(e -> new Credited(e.getKey(), conversions.get(e.getKey())[0],
                plain(e.getValue().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)), e.getValue())).toList();
        Optional<BigDecimal> roi = cost.filter(c -> c.amount().signum() > 0).map(c -> {
            BigDecimal earned = revenue.stream().filter(r -> r.currency().equals(c.currency())).map(Credited::revenue).findFirst()
                    .orElse(BigDecimal.ZERO);
            return earned.subtract(c.amount()).divide(c.amount(), 4, RoundingMode.HALF_EVEN);
        });
        return new Roi(campaignId, cost, revenue, roi);
    }

    /** An amount without the zeros the column's scale adds, never in exponent notation (400, not 4E+2). */
    private static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Sets a campaign's cost (it wins over its campaign.create's until another is declared or set). */
    public void setCost(String campaignId, BigDecimal amount, String currency, String setBy, Instant at) {
        if (amount == null || amount.signum() < 0 || amount.compareTo(MOST) > 0) {
            throw new IllegalArgumentException("amount: a number from 0 to " + MOST.toPlainString());
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency: an ISO 4217 code of three capital letters, like EUR");
        }
        db.insertInto(CAMPAIGN_COSTS).set(CAMPAIGN_COSTS.WORKSPACE_ID, workspaceId).set(CAMPAIGN_COSTS.CAMPAIGN_ID, campaignId)
                .set(CAMPAIGN_COSTS.AMOUNT, amount).set(CAMPAIGN_COSTS.CURRENCY, currency).set(CAMPAIGN_COSTS.SOURCE, "manual")
                .set(CAMPAIGN_COSTS.SET_AT, at.atOffset(ZoneOffset.UTC)).set(CAMPAIGN_COSTS.SET_BY, setBy)
                .onConflict(CAMPAIGN_COSTS.WORKSPACE_ID, CAMPAIGN_COSTS.CAMPAIGN_ID).doUpdate()
                .set(CAMPAIGN_COSTS.AMOUNT, amount).set(CAMPAIGN_COSTS.CURRENCY, currency).set(CAMPAIGN_COSTS.SOURCE, "manual")
                .set(CAMPAIGN_COSTS.SET_AT, at.atOffset(ZoneOffset.UTC)).set(CAMPAIGN_COSTS.SET_BY, setBy)
                .execute();
    }

    /**
     * Revenue credited per day and currency, from {@code from} to {@code to}: to one campaign, or (without) to any of
     * the workspace's campaigns.
     */
    public Map<LocalDate, Map<String, BigDecimal>> attributedByDay(Optional<String> campaignId, LocalDate from, LocalDate to) {
        Condition which = campaignId.map(DAILY_ATTRIBUTION.CAMPAIGN_ID::eq).orElse(DAILY_ATTRIBUTION.CAMPAIGN_ID.ne(""));
        Map<LocalDate, Map<String, BigDecimal>> days = new TreeMap<>();
        db.select(DAILY_ATTRIBUTION.DAY, DAILY_ATTRIBUTION.CURRENCY, DSL.sum(DAILY_ATTRIBUTION.REVENUE)).from(DAILY_ATTRIBUTION)
                .where(DAILY_ATTRIBUTION.WORKSPACE_ID.eq(workspaceId), which, DAILY_ATTRIBUTION.DAY.between(from, to))
                .groupBy(DAILY_ATTRIBUTION.DAY, DAILY_ATTRIBUTION.CURRENCY)
                .forEach(r -> days.computeIfAbsent(r.value1(), d -> new TreeMap<>()).put(r.value2(), plain(r.value3())));
        return days;
    }
}
