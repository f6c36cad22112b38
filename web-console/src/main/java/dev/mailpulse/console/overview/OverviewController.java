package dev.mailpulse.console.overview;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.mailpulse.console.business.BusinessView;
import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.readmodel.ReadModel;

/**
 * The live overview of a workspace: today's KPIs in its time zone (refreshed in place), events per minute over the
 * last hour by type and the live feed (both pushed over the live stream), the campaigns active now; and the last 30
 * days as the nightly ETL counted them.
 */
@ConsolePage
@RequestMapping("/w/{workspace}")
class OverviewController {

    /** Campaigns with events in this many last minutes are active now. */
    static final int ACTIVE_MINUTES = 15;
    /** The days before today whose nightly facts the overview shows. */
    static final int HISTORY_DAYS = 30;

    private final WorkspacePages pages;
    private final Analytics analytics;
    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    OverviewController(WorkspacePages pages, Analytics analytics, DSLContext db) {
        this.pages = pages;
        this.analytics = analytics;
        this.db = db;
    }

    @GetMapping
    String overview(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam(required = false) String trend,
                    Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        today(page, model);
        LocalDate today = LocalDate.now(clock.withZone(page.zone()));
        model.addAttribute("history", analytics.daily(page.workspace().id(), Optional.empty(), today.minusDays(HISTORY_DAYS), today.minusDays(1)));
        model.addAttribute("business", BusinessView.ofWorkspace(db, page.workspace().id(), BusinessView.trendKpi(trend), today));
        return "overview/overview";
    }

    /** The KPI tiles and the active campaigns alone, for the page to refresh them in place. */
    @GetMapping("/overview/kpis")
    String kpis(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) {
        today(pages.open(user, workspace), model);
        return "overview/overview :: kpis";
    }

    /** The last hour's counts per minute, which the page draws and then keeps current from the live stream. */
    @GetMapping("/overview/live.json")
    @ResponseBody
    Analytics.LiveCounters live(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace) {
        return analytics.live(pages.open(user, workspace).workspace().id(), Optional.empty(), Analytics.MAX_LIVE_MINUTES, clock.instant());
    }

    /**
     * Today so far in the workspace's time zone (from its local midnight to the end of the current minute), and the
     * campaigns active now.
     */
    private void today(WorkspacePages.Page page, Model model) {
        Instant now = clock.instant();
        Instant midnight = now.atZone(page.zone()).truncatedTo(ChronoUnit.DAYS).toInstant();
        model.addAttribute("page", page);
        model.addAttribute("today", analytics.summary(page.workspace().id(), Optional.empty(), midnight,
                now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)));
        model.addAttribute("active", new ReadModel(db, page.workspace().id()).activeSince(now.minus(ACTIVE_MINUTES, ChronoUnit.MINUTES), 10));
    }
}
