package dev.mailpulse.console.infrastructure;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Listing;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.pages.PageRange;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.events.StoredEvents;

/** SMTP status, DNS changes and VPS health over the last days: their events per hour, and the latest of them. */
@ConsolePage
@RequestMapping("/w/{workspace}/infrastructure")
class InfrastructureController {

    static final Set<Integer> DAYS = Set.of(1, 7);
    /** The most events listed (and drawn as VPS health): the newest. */
    static final int LATEST = 500;
    private static final StoredEvents.Filter INFRASTRUCTURE = new StoredEvents.Filter(Optional.empty(), Optional.empty(), Optional.of("infrastructure"));

    private final WorkspacePages pages;
    private final Analytics analytics;
    private final Clock clock = Clock.systemUTC();

    InfrastructureController(WorkspacePages pages, Analytics analytics) {
        this.pages = pages;
        this.analytics = analytics;
    }

    @GetMapping
    String infrastructure(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam(required = false) Integer days,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        PageRange view = range(page, days, until);
        model.addAttribute("page", page);
        model.addAttribute("view", view);
        model.addAttribute("events", events(page, view));
        return "infrastructure/infrastructure";
    }

    /** The infrastructure events per hour and type, in the workspace's time zone. */
    @GetMapping("/series.json")
    @ResponseBody
    Table<Analytics.SeriesPoint> series(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace,
                                       @RequestParam(required = false) Integer days,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until) {
        WorkspacePages.Page page = pages.open(user, workspace);
        PageRange view = range(page, days, until);
        Table<Analytics.SeriesPoint> all = analytics.series(page.workspace().id(), Optional.empty(), "hour", view.from(), view.to(),
                Optional.of(page.zone().getId()));
        return new Table<>(all.items().stream().filter(p -> p.eventType().startsWith("infrastructure.")).toList(), all.freshness());
    }

    /** The newest infrastructure events, which the page lists and draws VPS health from. */
    @GetMapping("/events.json")
    @ResponseBody
    Listing<StoredEvents.StoredEvent> latest(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace,
                                             @RequestParam(required = false) Integer days,
                                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until) {
        WorkspacePages.Page page = pages.open(user, workspace);
        return events(page, range(page, days, until));
    }

    private Listing<StoredEvents.StoredEvent> events(WorkspacePages.Page page, PageRange view) {
        return analytics.events(page.workspace().id(), INFRASTRUCTURE, view.from(), view.to(), null, LATEST);
    }

    /** Hour buckets of the zone: the range starts and ends on its hours. */
    private PageRange range(WorkspacePages.Page page, Integer days, LocalDate until) {
        return PageRange.of(page.zone(), days, DAYS, 1, Optional.ofNullable(until), clock.instant(), ChronoUnit.HOURS);
    }
}
