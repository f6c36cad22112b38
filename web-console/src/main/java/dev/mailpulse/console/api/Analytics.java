package dev.mailpulse.console.api;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheKeys;
import dev.mailpulse.storage.events.StoredEvents;
import dev.mailpulse.storage.facts.DailyHistory;
import dev.mailpulse.storage.readmodel.Breakdowns;
import dev.mailpulse.storage.readmodel.Dimension;
import dev.mailpulse.storage.readmodel.ReadModel;
import dev.mailpulse.storage.readmodel.Resolution;

/**
 * What the Analytics API answers, for a workspace or one of its campaigns: time series, summaries, breakdowns,
 * deliverability and raw events, each with its freshness; the ranges, page sizes and parameters checked, with a
 * clear reason naming the parameter when they are not as they must be. The controllers only map paths onto these.
 */
@Component
public class Analytics {

    /** The most items a page may hold. */
    public static final int MAX_LIMIT = 1_000;
    /** The most minutes of live counters: an hour, the span of the live view. */
    public static final int MAX_LIVE_MINUTES = 60;

    /** @param name the name the workspace registered for the campaign, or null */
    public record CampaignItem(String campaignId, String name, long eventCount) {
    }

    /** One event type's counts in one bucket; unique recipients are exact within the bucket, and absent where not. */
    public record SeriesPoint(Instant bucket, String eventType, long eventCount, long automatedCount, Long uniqueRecipients,
                              Long uniqueHumanRecipients) {
    }

    /** The funnel a sender reads first: sent, delivered, opened and clicked by people (unique recipients), converted. */
    public record Funnel(long sent, long delivered, long humanOpened, long humanClicked, long converted) {
    }

    /** Shares of delivered messages (delivery and bounces: of sent ones); null when nothing was delivered (or sent). */
    public record Rates(Double delivery, Double open, Double humanOpen, Double click, Double humanClick, Double reply, Double bounce,
                        Double complaint, Double unsubscribe) {
    }

    /**
     * Totals over [from, to): unique recipients are counted over the whole range, from the raw store; revenue is the
     * conversions' amounts per currency (never added across currencies).
     */
    public record Summary(String campaignId, Instant from, Instant to, Funnel funnel, Map<String, Long> counts, long machineOpens,
                          long botClicks, long uniqueOpeners, long uniqueHumanOpeners, long uniqueClickers, long uniqueHumanClickers,
                          Map<String, Long> bouncesByKind, Map<String, BigDecimal> revenue, Rates rates, Freshness freshness) {
    }

    /** One value's count of one event type; {@code value} is null for events without one. */
    public record BreakdownRow(String value, String eventType, long eventCount, long automatedCount) {
    }

    /** The values with the most events, and how many others were left off (raise {@code limit} to see them). */
    public record BreakdownTable(String dimension, List<BreakdownRow> items, int valuesLeftOff, Freshness freshness) implements Tabular {
    }

    /** Rates of sent messages (delivery, deferral, bounce, rejection) and of delivered ones (complaint, unsubscribe). */
    public record DeliverabilityRates(Double delivery, Double deferral, Double bounce, Double rejection, Double complaint,
                                      Double unsubscribe) {
    }

    /** What became of the messages sent to one mailbox provider or recipient domain. */
    public record DeliverabilityRow(String value, long sent, long delivered, long deferred, long bounced, Map<String, Long> bouncesByKind,
                                    long rejected, long complaints, long unsubscribes, DeliverabilityRates rates) {
    }

    /** The live cache's counts in one minute by type ({@code email.open}) and automated ones ({@code email.open:automated}). */
    public record LiveMinute(Instant minute, Map<String, Long> counts) {
    }

    /** The last minutes' counts from the live cache, oldest first, the current (still counting) minute last. */
    public record LiveCounters(String campaignId, List<LiveMinute> minutes, Freshness freshness) implements Tabular {
        @Override
        public List<LiveMinute> items() {
            return minutes;
        }
    }

    /**
     * One workspace-local day of a campaign as the nightly ETL counted it: counts by type, the KPIs (rates null where
     * there was nothing to divide by), bounces by kind, revenue per currency of the conversions recorded against it, and
     * revenue per currency attributed to it (by the message a conversion names, else the recipient's last human click
     * within the workspace's window).
     */
    public record DailyItem(LocalDate date, String timeZone, Instant processedAt, long sent, long delivered, long bounced, long complaints,
                            long unsubscribes, long replies, long uniqueHumanOpeners, long uniqueClickers, long uniqueHumanClickers,
                            Double deliveryRate, Double humanOpenRate, Double clickRate, Double humanClickRate, Double clickToOpenRate,
                            Double bounceRate, Double complaintRate, Double unsubscribeRate, Double replyRate, Map<String, Long> counts,
                            Map<String, Long> bouncesByKind, Map<String, BigDecimal> revenue, Map<String, BigDecimal> attributedRevenue) {
    }

    /** A campaign's KPIs over the days processed so far, unique recipients counted once over them all. */
    public record Lifetime(LocalDate firstDay, LocalDate lastDay, long sent, long delivered, long uniqueHumanOpeners, long uniqueHumanClickers,
                           Double deliveryRate, Double humanOpenRate, Double clickRate, Double humanClickRate, Double clickToOpenRate,
                           Double bounceRate, Double complaintRate, Double unsubscribeRate, Double replyRate) {
    }

    /**
     * A campaign's processed days in a range, and its life so far (null before its first day is processed); or the
     * workspace's days ({@code campaignId} and {@code lifetime} null).
     */
    public record DailyHistoryTable(String campaignId, List<DailyItem> items, Lifetime lifetime, Freshness freshness) implements Tabular {
    }

    /** A range asked for, [from, to), checked to end after it starts. */
    private record Range(Instant from, Instant to) {
        Range {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("to: the range ends after it starts (from " + from + ", to " + to + ")");
            }
        }
    }

    private final DSLContext db;
    private final LiveCache cache;

    Analytics(DSLContext db, LiveCache cache) {
        this.db = db;
        this.cache = cache;
    }

    public Freshness freshness(UUID workspace) {
        return Freshness.of(db, cache, workspace);
    }

    /** The workspace's campaigns that have events, in the order of their ids. */
    public Listing<CampaignItem> campaigns(UUID workspace, String cursor, int limit) {
        checkLimit(limit);
        List<ReadModel.Campaign> page = new ReadModel(db, workspace).campaigns(Cursors.read(cursor), limit + 1);
        List<CampaignItem> items = page.stream().limit(limit).map(c -> new CampaignItem(c.campaignId(), c.name().orElse(null), c.events())).toList();
        return new Listing<>(items, page.size() > limit ? Cursors.of(items.get(items.size() - 1).campaignId()) : null, freshness(workspace));
    }

    /** Counts per bucket and type; buckets in {@code tz} (UTC if not given). */
    public Table<SeriesPoint> series(UUID workspace, Optional<String> campaign, String granularity, Instant from, Instant to,
                                     Optional<String> tz) {
        Resolution resolution = resolution(granularity);
        Duration longest = switch (resolution) {
            case MINUTE -> Duration.ofDays(7);
            case HOUR -> Duration.ofDays(92);
            case DAY -> Duration.ofDays(3 * 366);
        };
        Range range = new Range(from, to);
        if (Duration.between(range.from(), range.to()).compareTo(longest) > 0) {
            throw new IllegalArgumentException("to: a " + granularity.toLowerCase(Locale.ROOT) + " series spans at most " + longest.toDays() + " days");
        }
        ReadModel readModel = readModel(workspace, campaign);
        return new Table<>(readModel.timeSeries(resolution, from, to, campaign, zone(tz)).stream()
                .map(p -> new SeriesPoint(p.bucket(), p.eventType(), p.events(), p.automated(),
                        p.uniqueRecipients().isPresent() ? p.uniqueRecipients().getAsLong() : null,
                        p.uniqueHumanRecipients().isPresent() ? p.uniqueHumanRecipients().getAsLong() : null))
                .toList(), freshness(workspace));
    }

    public Summary summary(UUID workspace, Optional<String> campaign, Instant from, Instant to) {
        Range range = wholeMinutes(from, to);
        if (Duration.between(range.from(), range.to()).compareTo(Duration.ofDays(3 * 366)) > 0) {
            throw new IllegalArgumentException("to: a summary spans at most " + 3 * 366 + " days");
        }
        ReadModel.Totals totals = readModel(workspace, campaign).totals(from, to, campaign);
        return new Summary(campaign.orElse(null), from, to,
                new Funnel(totals.count("email.send"), totals.count("email.deliver"), totals.uniqueHumanOpeners(), totals.uniqueHumanClickers(),
                        totals.count("email.conversion")),
                totals.eventsByType(), totals.machineOpens(), totals.botClicks(), totals.uniqueOpeners(), totals.uniqueHumanOpeners(),
                totals.uniqueClickers(), totals.uniqueHumanClickers(), totals.bouncesByKind(), totals.revenueByCurrency(),
                new Rates(totals.deliveryRate().orElse(null), totals.openRate().orElse(null), totals.humanOpenRate().orElse(null),
                        totals.clickRate().orElse(null), totals.humanClickRate().orElse(null), totals.replyRate().orElse(null),
                        totals.bounceRate().orElse(null), totals.complaintRate().orElse(null), totals.unsubscribeRate().orElse(null)),
                freshness(workspace));
    }

    public BreakdownTable breakdown(UUID workspace, Optional<String> campaign, String dimension, Instant from, Instant to, int limit) {
        checkLimit(limit);
        Dimension by = Dimension.of(dimension);
        readModel(workspace, campaign);
        Breakdowns.Breakdown breakdown = new Breakdowns(db, workspace).by(by, wholeMinutes(from, to).from(), to, campaign, limit);
        return new BreakdownTable(by.pathName(), breakdown.rows().stream()
                .map(r -> new BreakdownRow(r.value(), r.eventType(), r.events(), r.automated())).toList(),
                breakdown.valuesLeftOff(), freshness(workspace));
    }

    public Table<DeliverabilityRow> deliverability(UUID workspace, Optional<String> campaign, String by, Instant from, Instant to) {
        readModel(workspace, campaign);
        return new Table<>(new Breakdowns(db, workspace).deliverability(Dimension.of(by), wholeMinutes(from, to).from(), to, campaign).stream()
                .map(d -> new DeliverabilityRow(d.value(), d.sent(), d.delivered(), d.deferred(), d.bounced(), d.bouncesByKind(), d.rejected(),
                        d.complaints(), d.unsubscribes(), new DeliverabilityRates(d.deliveryRate().orElse(null), d.deferralRate().orElse(null),
                        d.bounceRate().orElse(null), d.rejectionRate().orElse(null), d.complaintRate().orElse(null),
                        d.unsubscribeRate().orElse(null))))
                .toList(), freshness(workspace));
    }

    /** The most days a daily history answers for at once. */
    public static final int MAX_DAILY_DAYS = 400;

    /**
     * One campaign's processed days and its life so far; or, without a campaign, the workspace's days (every campaign's
     * events and those of none, a recipient counted once in each campaign), with no lifetime.
     */
    public DailyHistoryTable daily(UUID workspace, Optional<String> campaign, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to: " + to + " is before from " + from);
        }
        if (from.plusDays(MAX_DAILY_DAYS).isBefore(to.plusDays(1))) {
            throw new IllegalArgumentException("to: at most " + MAX_DAILY_DAYS + " days from from");
        }
        readModel(workspace, campaign);
        DailyHistory history = new DailyHistory(db, workspace);
        List<DailyItem> items = (campaign.isPresent() ? history.days(campaign.get(), from, to) : history.workspaceDays(from, to)).stream().map(d -> {
            DailyHistory.Kpis k = d.kpis();
            return new DailyItem(d.date(), d.timeZone(), d.processedAt(), k.sent(), k.delivered(), k.bounced(), k.complaints(), k.unsubscribes(),
                    k.replies(), k.uniqueHumanOpeners(), k.uniqueClickers(), k.uniqueHumanClickers(), k.deliveryRate().orElse(null),
                    k.humanOpenRate().orElse(null), k.clickRate().orElse(null), k.humanClickRate().orElse(null), k.clickToOpenRate().orElse(null),
                    k.bounceRate().orElse(null), k.complaintRate().orElse(null), k.unsubscribeRate().orElse(null), k.replyRate().orElse(null),
                    d.counts(), d.bouncesByKind(), d.revenue(), d.attributedRevenue());
        }).toList();
        Lifetime lifetime = campaign.flatMap(history::lifetime).map(l -> {
            DailyHistory.Kpis k = l.kpis();
            return new Lifetime(l.firstDay(), l.lastDay(), k.sent(), k.delivered(), k.uniqueHumanOpeners(), k.uniqueHumanClickers(),
                    k.deliveryRate().orElse(null), k.humanOpenRate().orElse(null), k.clickRate().orElse(null), k.humanClickRate().orElse(null),
                    k.clickToOpenRate().orElse(null), k.bounceRate().orElse(null), k.complaintRate().orElse(null),
                    k.unsubscribeRate().orElse(null), k.replyRate().orElse(null));
        }).orElse(null);
        return new DailyHistoryTable(campaign.orElse(null), items, lifetime, freshness(workspace));
    }

    /**
     * The live counters of the last {@code minutes} minutes, of one campaign or the whole workspace. A campaign is not
     * looked for in the read model: its first events are counted here before they are stored, and the cache's keys
     * are the workspace's own.
     */
    public LiveCounters live(UUID workspace, Optional<String> campaign, int minutes, Instant now) {
        if (minutes < 1 || minutes > MAX_LIVE_MINUTES) {
            throw new IllegalArgumentException("minutes: from 1 to " + MAX_LIVE_MINUTES + ", not " + minutes);
        }
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        List<Map<String, Long>> counts = cache.minutes(workspace, campaign.orElse(LiveCacheKeys.ALL_CAMPAIGNS), current, minutes);
        List<LiveMinute> items = new ArrayList<>(minutes);
        for (int i = 0; i < minutes; i++) {
            items.add(new LiveMinute(current.minus(minutes - 1 - i, ChronoUnit.MINUTES), new TreeMap<>(counts.get(i))));
        }
        return new LiveCounters(campaign.orElse(null), items, freshness(workspace));
    }

    /** Raw events newest first, a page at a time. */
    public Listing<StoredEvents.StoredEvent> events(UUID workspace, StoredEvents.Filter filter, Instant from, Instant to, String cursor,
                                                    int limit) {
        checkLimit(limit);
        readModel(workspace, filter.campaignId());
        Optional<StoredEvents.Position> after = Cursors.read(cursor).map(Analytics::position);
        List<StoredEvents.StoredEvent> page = new StoredEvents(db, workspace).page(filter, new Range(from, to).from(), to, after, limit + 1);
        List<StoredEvents.StoredEvent> items = page.stream().limit(limit).toList();
        StoredEvents.Position last = items.isEmpty() ? null : items.get(items.size() - 1).position();
        return new Listing<>(items, page.size() > limit ? Cursors.of(last.occurredAt() + " " + last.eventId()) : null, freshness(workspace));
    }

    private static StoredEvents.Position position(String key) {
        String[] parts = key.split(" ", 2);
        try {
            return new StoredEvents.Position(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor: not a cursor this API gave out");
        }
    }

    /** The workspace's read model, once the campaign asked for (if any) is found to be the workspace's. */
    private ReadModel readModel(UUID workspace, Optional<String> campaign) {
        ReadModel readModel = new ReadModel(db, workspace);
        if (campaign.isPresent() && !readModel.hasCampaign(campaign.get())) {
            throw new NotInWorkspace("campaign " + campaign.get());
        }
        return readModel;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: from 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }

    /** Totals are kept per minute at the finest: a range must start and end on one. */
    private static Range wholeMinutes(Instant from, Instant to) {
        if (from.getEpochSecond() % 60 != 0 || from.getNano() != 0) {
            throw new IllegalArgumentException("from: on a whole minute (such as 2026-12-01T10:00:00Z), not " + from);
        }
        if (to.getEpochSecond() % 60 != 0 || to.getNano() != 0) {
            throw new IllegalArgumentException("to: on a whole minute (such as 2026-12-01T10:00:00Z), not " + to);
        }
        return new Range(from, to);
    }

    private static Resolution resolution(String granularity) {
        try {
            return Resolution.valueOf(granularity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("granularity: minute, hour or day, not " + granularity);
        }
    }

    private static ZoneId zone(Optional<String> tz) {
        try {
            return tz.map(ZoneId::of).orElse(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("tz: an IANA time zone (such as Europe/Paris) or an offset (+05:45), not " + tz.get());
        }
    }
}
