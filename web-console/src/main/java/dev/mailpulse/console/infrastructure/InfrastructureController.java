package dev.mailpulse.console.infrastructure;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Listing;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.events.StoredEvents;

/** SMTP status, DNS changes and VPS health over the last days: their events per hour, and the latest of them. */
@Controller
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

    /** What the page shows: the last {@code days} local days, to the next local hour. */
    record View(int days, Instant from, Instant to) {
    }

    @GetMapping
    String infrastructure(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam(required = false) Integer days,
                          Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days);
        model.addAttribute("page", page);
        model.addAttribute("view", view);
        model.addAttribute("events", events(page, view));
        return "infrastructure/infrastructure";
    }

    /** The infrastructure events per hour and type, in the workspace's time zone. */
    @GetMapping("/series.json")
    @ResponseBody
    Table<Analytics.SeriesPoint> series(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace,
                                       @RequestParam(required = false) Integer days) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days);
        Table<Analytics.SeriesPoint> all = analytics.series(page.workspace().id(), Optional.empty(), "hour", view.from(), view.to(),
                Optional.of(page.zone().getId()));
        return new Table<>(all.items().stream().filter(p -> p.eventType().startsWith("infrastructure.")).toList(), all.freshness());
    }

    /** The newest infrastructure events, which the page lists and draws VPS health from. */
    @GetMapping("/events.json")
    @ResponseBody
    Listing<StoredEvents.StoredEvent> latest(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace,
                                             @RequestParam(required = false) Integer days) {
        WorkspacePages.Page page = pages.open(user, workspace);
        return events(page, view(page, days));
    }

    private Listing<StoredEvents.StoredEvent> events(WorkspacePages.Page page, View view) {
        return analytics.events(page.workspace().id(), INFRASTRUCTURE, view.from(), view.to(), null, LATEST);
    }

    private View view(WorkspacePages.Page page, Integer days) {
        int span = days == null || !DAYS.contains(days) ? 1 : days;
        Instant now = clock.instant();
        Instant from = now.atZone(page.zone()).truncatedTo(ChronoUnit.DAYS).minusDays(span - 1L).toInstant();
        Instant to = now.atZone(page.zone()).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
        return new View(span, from, to);
    }
}
