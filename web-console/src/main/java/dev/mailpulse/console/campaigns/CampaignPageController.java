package dev.mailpulse.console.campaigns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.readmodel.Breakdowns;
import dev.mailpulse.storage.readmodel.Dimension;

/**
 * One campaign: its funnel and rates, its events over time (minute, hour or day, in the workspace's time zone) with
 * machine against human opens and bot against human clicks, and its breakdowns by every dimension.
 */
@Controller
@RequestMapping("/w/{workspace}/campaigns/{campaignId}")
class CampaignPageController {

    private final WorkspacePages pages;
    private final Analytics analytics;
    private final Clock clock = Clock.systemUTC();

    CampaignPageController(WorkspacePages pages, Analytics analytics) {
        this.pages = pages;
        this.analytics = analytics;
    }

    /** The range and bucket width a campaign page shows: the last {@code days} local days, hourly unless asked otherwise. */
    record View(int days, String granularity, Instant from, Instant to) {
    }

    @GetMapping
    String campaign(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String campaignId,
                    @RequestParam(required = false) Integer days, @RequestParam(required = false) String granularity, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days, granularity);
        Analytics.Summary summary = analytics.summary(page.workspace().id(), Optional.of(campaignId), view.from(), view.to());
        // breakdowns are counted from the raw store, a month at most
        Instant breakdownFrom = view.to().minus(Breakdowns.LONGEST).isAfter(view.from()) ? view.to().minus(Breakdowns.LONGEST) : view.from();
        Map<Dimension, Analytics.BreakdownTable> breakdowns = new LinkedHashMap<>();
        for (Dimension dimension : Dimension.values()) {
            breakdowns.put(dimension, analytics.breakdown(page.workspace().id(), Optional.of(campaignId), dimension.pathName(), breakdownFrom,
                    view.to(), 10));
        }
        model.addAttribute("page", page);
        model.addAttribute("campaignId", campaignId);
        model.addAttribute("view", view);
        model.addAttribute("summary", summary);
        model.addAttribute("breakdowns", breakdowns);
        model.addAttribute("breakdownFrom", breakdownFrom);
        return "campaigns/campaign";
    }

    /** The campaign's series for the page's charts: the API's numbers, buckets in the workspace's time zone. */
    @GetMapping("/series.json")
    @ResponseBody
    Table<Analytics.SeriesPoint> series(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String campaignId,
                                       @RequestParam(required = false) Integer days, @RequestParam(required = false) String granularity) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days, granularity);
        return analytics.series(page.workspace().id(), Optional.of(campaignId), view.granularity(), view.from(), view.to(),
                Optional.of(page.zone().getId()));
    }

    /**
     * From the local midnight {@code days - 1} days ago to the next local hour (a series' buckets start at the
     * zone's hours); a minute series covers at most the last day.
     */
    private View view(WorkspacePages.Page page, Integer days, String granularity) {
        int span = days == null || !CampaignsPageController.DAYS.contains(days) ? 7 : days;
        String width = granularity == null || !granularity.matches("minute|hour|day") ? (span > 30 ? "day" : "hour") : granularity;
        Instant now = clock.instant();
        Instant to = now.atZone(page.zone()).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
        Instant from = now.atZone(page.zone()).truncatedTo(ChronoUnit.DAYS).minusDays(span - 1L).toInstant();
        if (width.equals("minute") && Duration.between(from, to).compareTo(Duration.ofDays(1)) > 0) {
            from = to.minus(Duration.ofDays(1));
        }
        if (width.equals("day")) {
            to = now.atZone(page.zone()).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
        }
        return new View(span, width, from, to);
    }
}
