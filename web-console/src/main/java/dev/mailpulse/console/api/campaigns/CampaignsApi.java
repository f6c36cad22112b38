package dev.mailpulse.console.api.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.console.api.Cursors;
import dev.mailpulse.console.api.Listing;
import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.storage.readmodel.ReadModel;
import dev.mailpulse.storage.readmodel.Resolution;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The caller's campaigns, and each one's time series, summary and breakdown by mailbox provider, from the read model. */
@RestController
@RequestMapping("/api/v1/campaigns")
@Tag(name = "campaigns", description = "campaigns and their counts over time, from the read model")
class CampaignsApi {

    /** The most items a page may hold. */
    static final int MAX_LIMIT = 1_000;

    /** @param name the name the workspace registered for the campaign, or null */
    record CampaignItem(String campaignId, String name, long eventCount) {
    }

    /** One event type's counts in one bucket; unique recipients are exact within the bucket. */
    record SeriesPoint(Instant bucket, String eventType, long eventCount, long automatedCount, long uniqueRecipients,
                       long uniqueHumanRecipients) {
    }

    /** The funnel a sender reads first: sent, delivered, opened and clicked by people (unique recipients), converted. */
    record Funnel(long sent, long delivered, long humanOpened, long humanClicked, long converted) {
    }

    /** Shares of delivered messages (delivery and bounces: of sent ones); null when nothing was delivered (or sent). */
    record Rates(Double delivery, Double open, Double humanOpen, Double click, Double humanClick, Double reply, Double bounce,
                 Double complaint, Double unsubscribe) {
    }

    /** A campaign's totals over [from, to): unique recipients are counted over the whole range, from the raw store. */
    record Summary(String campaignId, Instant from, Instant to, Funnel funnel, Map<String, Long> counts, long machineOpens,
                   long botClicks, long uniqueOpeners, long uniqueHumanOpeners, long uniqueClickers, long uniqueHumanClickers,
                   Map<String, Long> bouncesByKind, Rates rates) {
    }

    /** A range asked for, [from, to), checked to end after it starts. */
    private record Range(Instant from, Instant to) {
        Range {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("to: the range ends after it starts (from " + from + ", to " + to + ")");
            }
        }
    }

    /** One event type's counts from one mailbox provider over the range. */
    record ProviderRow(String mailboxProvider, String eventType, long eventCount, long automatedCount) {
    }

    private final DSLContext db;

    CampaignsApi(DSLContext db) {
        this.db = db;
    }

    @GetMapping
    @Operation(summary = "The workspace's campaigns that have events, in the order of their ids, a page at a time")
    Listing<CampaignItem> campaigns(@AuthenticationPrincipal ApiCaller caller,
                                    @Parameter(description = "the next page's cursor, from the page before") @RequestParam(required = false) String cursor,
                                    @Parameter(description = "the most campaigns on the page, 1 to 1000") @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        List<ReadModel.Campaign> page = new ReadModel(db, caller.workspaceId()).campaigns(Cursors.read(cursor), limit + 1);
        List<CampaignItem> items = page.stream().limit(limit).map(c -> new CampaignItem(c.campaignId(), c.name().orElse(null), c.events())).toList();
        return new Listing<>(items, page.size() > limit ? Cursors.of(items.get(items.size() - 1).campaignId()) : null);
    }

    @GetMapping("/{campaignId}/timeseries")
    @Operation(summary = "A campaign's event counts per bucket and type in [from, to)")
    Table<SeriesPoint> timeseries(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId,
                                  @Parameter(description = "minute (at most 7 days), hour (92 days) or day (3 years)") @RequestParam String granularity,
                                  @Parameter(description = "ISO-8601 instant, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                  @Parameter(description = "ISO-8601 instant, excluded") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        Resolution resolution = resolution(granularity);
        ReadModel readModel = campaignOf(caller, campaignId, new Range(from, to), resolution);
        return new Table<>(readModel.timeSeries(resolution, from, to, Optional.of(campaignId)).stream()
                .map(p -> new SeriesPoint(p.bucket(), p.eventType(), p.events(), p.automated(), p.uniqueRecipients(), p.uniqueHumanRecipients()))
                .toList());
    }

    @GetMapping("/{campaignId}/summary")
    @Operation(summary = "A campaign's funnel, counts, machine opens and bot clicks, unique recipients and rates over [from, to)")
    Summary summary(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId,
                    @Parameter(description = "ISO-8601 instant on a whole minute, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                    @Parameter(description = "ISO-8601 instant on a whole minute, excluded; at most 3 years after from") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        ReadModel readModel = campaignOf(caller, campaignId, wholeMinutes(from, to), Resolution.DAY);
        ReadModel.Totals totals = readModel.totals(from, to, Optional.of(campaignId));
        return new Summary(campaignId, from, to,
                new Funnel(totals.count("email.send"), totals.count("email.deliver"), totals.uniqueHumanOpeners(), totals.uniqueHumanClickers(),
                        totals.count("email.conversion")),
                totals.eventsByType(), totals.machineOpens(), totals.botClicks(), totals.uniqueOpeners(), totals.uniqueHumanOpeners(),
                totals.uniqueClickers(), totals.uniqueHumanClickers(), totals.bouncesByKind(),
                new Rates(totals.deliveryRate().orElse(null), totals.openRate().orElse(null), totals.humanOpenRate().orElse(null),
                        totals.clickRate().orElse(null), totals.humanClickRate().orElse(null), totals.replyRate().orElse(null),
                        totals.bounceRate().orElse(null), totals.complaintRate().orElse(null), totals.unsubscribeRate().orElse(null)));
    }

    @GetMapping("/{campaignId}/breakdown/mailbox-provider")
    @Operation(summary = "A campaign's event counts by mailbox provider and type over [from, to)")
    Table<ProviderRow> byMailboxProvider(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId,
                                         @Parameter(description = "ISO-8601 instant on a whole minute, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                         @Parameter(description = "ISO-8601 instant on a whole minute, excluded") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        ReadModel readModel = campaignOf(caller, campaignId, wholeMinutes(from, to), Resolution.DAY);
        return new Table<>(readModel.byMailboxProvider(from, to, Optional.of(campaignId)).stream()
                .map(p -> new ProviderRow(p.mailboxProvider(), p.eventType(), p.events(), p.automated())).toList());
    }

    /** The caller's read model, once the range is within the resolution's bound and the campaign is the caller's. */
    private ReadModel campaignOf(ApiCaller caller, String campaignId, Range range, Resolution resolution) {
        Duration longest = longest(resolution);
        if (Duration.between(range.from(), range.to()).compareTo(longest) > 0) {
            throw new IllegalArgumentException("to: a " + resolution.name().toLowerCase(Locale.ROOT) + " series spans at most "
                    + longest.toDays() + " days");
        }
        ReadModel readModel = new ReadModel(db, caller.workspaceId());
        if (!readModel.hasCampaign(campaignId)) {
            throw new NotInWorkspace("campaign " + campaignId);
        }
        return readModel;
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

    /** Ranges are bounded so that no series holds more than about 10,000 buckets of each type. */
    private static Duration longest(Resolution resolution) {
        return switch (resolution) {
            case MINUTE -> Duration.ofDays(7);
            case HOUR -> Duration.ofDays(92);
            case DAY -> Duration.ofDays(3 * 366);
        };
    }
}
