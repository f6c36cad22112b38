package dev.mailpulse.console.api.workspace;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Listing;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.storage.events.StoredEvents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The caller's whole workspace: every campaign's events and those of none (user, infrastructure), over time, in total,
 * broken down, by deliverability, and raw.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "workspace", description = "the whole workspace's counts, from the read model and the raw store")
class WorkspaceApi {

    private final Analytics analytics;

    WorkspaceApi(Analytics analytics) {
        this.analytics = analytics;
    }

    @GetMapping("/timeseries")
    @Operation(summary = "The workspace's event counts per bucket and type in [from, to), infrastructure and user events included")
    Table<Analytics.SeriesPoint> timeseries(@AuthenticationPrincipal ApiCaller caller,
                                            @Parameter(description = "minute (at most 7 days), hour (92 days) or day (3 years)") @RequestParam String granularity,
                                            @Parameter(description = "ISO-8601 instant, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                            @Parameter(description = "ISO-8601 instant, excluded") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                            @Parameter(description = "the time zone whose days and hours the buckets are (default UTC); from and to then start one")
                                            @RequestParam Optional<String> tz) {
        return analytics.series(caller.workspaceId(), Optional.empty(), granularity, from, to, tz);
    }

    @GetMapping("/summary")
    @Operation(summary = "The workspace's funnel, counts, machine opens and bot clicks, unique recipients and rates over [from, to)")
    Analytics.Summary summary(@AuthenticationPrincipal ApiCaller caller,
                              @Parameter(description = "ISO-8601 instant on a whole minute, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                              @Parameter(description = "ISO-8601 instant on a whole minute, excluded; at most 3 years after from") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        return analytics.summary(caller.workspaceId(), Optional.empty(), from, to);
    }

    @GetMapping("/breakdown/{dimension}")
    @Operation(summary = "The workspace's event counts by a dimension and type over [from, to) (at most 31 days), the values with the most events first")
    Analytics.BreakdownTable breakdown(@AuthenticationPrincipal ApiCaller caller,
                                       @Parameter(description = "mailbox-provider, recipient-domain, bounce-kind, link, client, device or country") @PathVariable String dimension,
                                       @Parameter(description = "ISO-8601 instant, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                       @Parameter(description = "ISO-8601 instant, excluded") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                       @Parameter(description = "the most values, 1 to 1000") @RequestParam(defaultValue = "100") int limit) {
        return analytics.breakdown(caller.workspaceId(), Optional.empty(), dimension, from, to, limit);
    }

    @GetMapping("/deliverability")
    @Operation(summary = "The workspace's delivery, deferral, bounce (by kind), complaint and unsubscribe rates by mailbox provider or recipient domain over [from, to)")
    Table<Analytics.DeliverabilityRow> deliverability(@AuthenticationPrincipal ApiCaller caller,
                                                      @Parameter(description = "mailbox-provider or recipient-domain") @RequestParam(defaultValue = "mailbox-provider") String by,
                                                      @Parameter(description = "ISO-8601 instant, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                                      @Parameter(description = "ISO-8601 instant, excluded; at most 31 days after from") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        return analytics.deliverability(caller.workspaceId(), Optional.empty(), by, from, to);
    }

    @GetMapping("/daily")
    @Operation(summary = "The workspace's days as the nightly ETL counted them (days of its time zone, both included): every campaign's events "
            + "and those of none, unique recipients counted once in each campaign")
    Analytics.DailyHistoryTable daily(@AuthenticationPrincipal ApiCaller caller,
                                      @Parameter(description = "the first day, YYYY-MM-DD") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                      @Parameter(description = "the last day, YYYY-MM-DD; at most 400 days after from") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return analytics.daily(caller.workspaceId(), Optional.empty(), from, to);
    }

    @GetMapping("/events")
    @Operation(summary = "The workspace's raw events in [from, to) (at most 31 days), newest first, a page at a time: infrastructure events with type=infrastructure")
    Listing<StoredEvents.StoredEvent> events(@AuthenticationPrincipal ApiCaller caller,
                                             @Parameter(description = "ISO-8601 instant, included") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                             @Parameter(description = "ISO-8601 instant, excluded") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                             @Parameter(description = "one message's events") @RequestParam(name = "message_id") Optional<String> messageId,
                                             @Parameter(description = "a type (infrastructure.smtp_status) or a family (infrastructure)") @RequestParam Optional<String> type,
                                             @Parameter(description = "the next page's cursor, from the page before") @RequestParam(required = false) String cursor,
                                             @Parameter(description = "the most events on the page, 1 to 1000") @RequestParam(defaultValue = "100") int limit) {
        return analytics.events(caller.workspaceId(), new StoredEvents.Filter(Optional.empty(), messageId, type), from, to, cursor, limit);
    }
}
