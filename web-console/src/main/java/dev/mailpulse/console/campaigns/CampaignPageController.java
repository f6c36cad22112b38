package dev.mailpulse.console.campaigns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.mailpulse.console.business.BusinessView;
import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.pages.PageRange;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.readmodel.Breakdowns;
import dev.mailpulse.storage.readmodel.Dimension;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.readmodel.ReadModel;

/**
 * One campaign: its funnel and rates against the period before or another campaign, its days as the nightly ETL counted them, its
 * attributed revenue, cost, ROI and benchmark ranks, the workspace's trends, its events over time (minute, hour or day, in the workspace's time zone) with
 * machine against human opens and bot against human clicks, and its breakdowns by every dimension.
 */
@ConsolePage
@RequestMapping("/w/{workspace}/campaigns/{campaignId}")
class CampaignPageController {

    private final WorkspacePages pages;
    private final Analytics analytics;
    private final Clock clock = Clock.systemUTC();

    private final DSLContext db;

    CampaignPageController(WorkspacePages pages, Analytics analytics, DSLContext db) {
        this.pages = pages;
        this.analytics = analytics;
        this.db = db;
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
                    @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
                    @RequestParam(required = false) String compare, @RequestParam(required = false) String trend, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, days, granularity, until);
        Analytics.Summary summary = analytics.summary(page.workspace().id(), Optional.of(campaignId), view.from(), view.to());
        model.addAttribute("comparison", comparison(page, campaignId, compare, view, summary, model));
        model.addAttribute("compare", compare == null ? CampaignComparison.PREVIOUS_PERIOD : compare);
        model.addAttribute("otherCampaigns", new ReadModel(db, page.workspace().id()).campaigns(Optional.empty(), Analytics.MAX_LIMIT).stream()
                .map(ReadModel.Campaign::campaignId).filter(id -> !id.equals(campaignId)).toList());
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
        model.addAttribute("history", analytics.daily(page.workspace().id(), Optional.of(campaignId), view.from().atZone(page.zone()).toLocalDate(),
                view.range().until()));
        model.addAttribute("business", BusinessView.ofCampaign(db, page.workspace().id(), campaignId, BusinessView.trendKpi(trend),
                view.range().until()));
        model.addAttribute("forecast", new Predictions(db).forecast(page.workspace().id(), campaignId));
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

    /**
     * The period before, of the same length, unless another campaign of the workspace is asked for: that one over the
     * same range. An id the workspace does not know is said so on the page, which then compares with the period before.
     */
    private CampaignComparison comparison(WorkspacePages.Page page, String campaignId, String compare, View view, Analytics.Summary summary,
                                          Model model) {
        UUID workspace = page.workspace().id();
        if (compare != null && !compare.isBlank() && !compare.strip().equals(CampaignComparison.PREVIOUS_PERIOD)) {
            String other = compare.strip();
            if (new ReadModel(db, workspace).hasCampaign(other)) {
                return CampaignComparison.of(summary, analytics.summary(workspace, Optional.of(other), view.from(), view.to()), "campaign " + other);
            }
            model.addAttribute("unknownCampaign", other);
        }
        return CampaignComparison.of(summary, previousPeriod(workspace, campaignId, view), "the period before");
    }

    private Analytics.Summary previousPeriod(UUID workspace, String campaignId, View view) {
        return analytics.summary(workspace, Optional.of(campaignId), view.from().minus(Duration.between(view.from(), view.to())), view.from());
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
