package dev.mailpulse.console.campaigns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.format.annotation.DateTimeFormat;
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
import dev.mailpulse.console.pages.PageRange;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.readmodel.Breakdowns;
import dev.mailpulse.storage.readmodel.Dimension;

/**
 * One campaign: its funnel and rates against the period before, its events over time (minute, hour or day, in the workspace's time zone) with
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

    /** A count against the same count in the period before, of the same length. */
    record Compared(long now, long before) {

        /** The change in words a tile can show: "+12.5%", "-3.0%", "no change", or "none before". */
        public String change() {
            if (before == 0) {
                return now == 0 ? "no change" : "none before";
            }
            if (now == before) {
                return "no change";
            }
            return String.format(Locale.ROOT, "%+.1f%%", 100.0 * (now - before) / before);
        }
    }

    /** The range a campaign page shows and its series' bucket width: hourly unless asked otherwise. */
    record View(PageRange range, String granularity) {

        Instant from() {
            return range.from();
        }

        Instant to() {
            return range.to();
        }
    }

    @GetMapping
    String campaign(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String campaignId,
                    @RequestParam(required = false) Integer days, @RequestParam(required = false) String granularity,
                    @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days, granularity, until);
        Analytics.Summary summary = analytics.summary(page.workspace().id(), Optional.of(campaignId), view.from(), view.to());
        Analytics.Summary previous = analytics.summary(page.workspace().id(), Optional.of(campaignId),
                view.from().minus(Duration.between(view.from(), view.to())), view.from());
        Map<String, Compared> compared = new LinkedHashMap<>();
        compared.put("sent", new Compared(summary.funnel().sent(), previous.funnel().sent()));
        compared.put("delivered", new Compared(summary.funnel().delivered(), previous.funnel().delivered()));
        compared.put("human_opened", new Compared(summary.funnel().humanOpened(), previous.funnel().humanOpened()));
        compared.put("human_clicked", new Compared(summary.funnel().humanClicked(), previous.funnel().humanClicked()));
        compared.put("converted", new Compared(summary.funnel().converted(), previous.funnel().converted()));
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
        model.addAttribute("compared", compared);
        model.addAttribute("breakdowns", breakdowns);
        model.addAttribute("breakdownFrom", breakdownFrom);
        return "campaigns/campaign";
    }

    /** The campaign's series for the page's charts: the API's numbers, buckets in the workspace's time zone. */
    @GetMapping("/series.json")
    @ResponseBody
    Table<Analytics.SeriesPoint> series(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String campaignId,
                                       @RequestParam(required = false) Integer days, @RequestParam(required = false) String granularity,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days, granularity, until);
        return analytics.series(page.workspace().id(), Optional.of(campaignId), view.granularity(), view.from(), view.to(),
                Optional.of(page.zone().getId()));
    }

    /** A series' buckets start at the zone's hours (days), so its range does too; a minute series covers one day at most. */
    private View view(WorkspacePages.Page page, Integer days, String granularity, LocalDate until) {
        String width = granularity == null || !granularity.matches("minute|hour|day") ? (days != null && days > 30 ? "day" : "hour") : granularity;
        PageRange range = PageRange.of(page.zone(), days, CampaignsPageController.DAYS, 7, Optional.ofNullable(until), clock.instant(),
                width.equals("day") ? ChronoUnit.DAYS : ChronoUnit.HOURS);
        if (width.equals("minute") && Duration.between(range.from(), range.to()).compareTo(Duration.ofDays(1)) > 0) {
            range = new PageRange(range.days(), range.until(), range.to().minus(Duration.ofDays(1)), range.to());
        }
        return new View(range, width);
    }
}
