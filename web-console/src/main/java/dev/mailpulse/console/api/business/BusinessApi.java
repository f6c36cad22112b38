package dev.mailpulse.console.api.business;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.api.RequestJson;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.storage.facts.Benchmarks;
import dev.mailpulse.storage.facts.Revenue;
import dev.mailpulse.storage.facts.Trends;
import dev.mailpulse.storage.readmodel.ReadModel;
import dev.mailpulse.storage.workspace.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/**
 * What the nightly ETL derives for the business: revenue attributed to campaigns and their ROI (costs set with an
 * admin key), benchmarks within the workspace and its industry, trends; and the settings they follow.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "business", description = "revenue attribution, ROI, benchmarks and trends, from the nightly ETL")
class BusinessApi {

    /** A campaign's ROI as the API shows it. */
    record RoiAnswer(String campaignId, Revenue.Cost cost, List<Revenue.Credited> revenue, BigDecimal roi, String roiCurrency) {
    }

    record RanksAnswer(String campaignId, LocalDate asOf, Integer campaignsRanked, List<RankItem> items) {
    }

    record RankItem(String kpi, double value, double percentile, boolean higherIsBetter) {
    }

    record StandingAnswer(String industry, int industryMinimumWorkspaces, List<StandingItem> items) {
    }

    record StandingItem(String kpi, double value, LocalDate asOf, Double industryPooled, Double industryMean, Integer industryWorkspaces,
                        Double percentile, boolean higherIsBetter) {
    }

    record TrendsAnswer(List<Trends.Point> items, Map<String, Trends.Fit> fits) {
    }

    /** The most days of trends answered at once. */
    static final int MOST_TREND_DAYS = Trends.DAYS + 1;

    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    BusinessApi(DSLContext db) {
        this.db = db;
    }

    @GetMapping("/campaigns/{campaignId}/roi")
    @Operation(summary = "A campaign's cost, its attributed revenue per currency (by method: message, click, open) and its ROI, "
            + "(revenue − cost) ÷ cost in the cost's currency; revenue in other currencies is listed, never converted")
    RoiAnswer roi(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId) {
        campaign(caller, campaignId);
        return answer(new Revenue(db, caller.workspaceId()).roi(campaignId));
    }

    @PutMapping("/campaigns/{campaignId}/cost")
    @Operation(summary = "Set a campaign's cost (admin key): {\"amount\": 1250.00, \"currency\": \"EUR\"}; it wins over the cost its "
            + "campaign.create declared, until another is declared or set")
    RoiAnswer setCost(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId, InputStream body) throws IOException {
        campaign(caller, campaignId);
        JsonNode json = RequestJson.read(body);
        JsonNode amount = json.get("amount");
        if (amount == null || !amount.isNumber()) {
            throw new IllegalArgumentException("amount: a number");
        }
        Revenue revenue = new Revenue(db, caller.workspaceId());
        revenue.setCost(campaignId, amount.decimalValue(), RequestJson.text(json, "currency").orElse(null), "an admin API key", clock.instant());
        return answer(revenue.roi(campaignId));
    }

    @GetMapping("/campaigns/{campaignId}/benchmarks")
    @Operation(summary = "A campaign's percentile rank (0 to 100, higher is better) on each KPI among the workspace's campaigns of at "
            + "least 100 messages in the 90 days up to its latest processed day")
    RanksAnswer campaignBenchmarks(@AuthenticationPrincipal ApiCaller caller, @PathVariable String campaignId) {
        campaign(caller, campaignId);
        List<Benchmarks.Rank> ranks = new Benchmarks(db).ranks(caller.workspaceId(), campaignId);
        return new RanksAnswer(campaignId, ranks.isEmpty() ? null : ranks.get(0).asOf(), ranks.isEmpty() ? null : ranks.get(0).campaigns(),
                ranks.stream().map(r -> new RankItem(r.kpi().wireName(), r.value(), r.percentile(), r.kpi().higherIsBetter())).toList());
    }

    @GetMapping("/benchmarks")
    @Operation(summary = "The workspace's own KPIs over its campaigns of the last 90 days and, where at least 5 workspaces share its "
            + "industry, the industry's pooled and mean rates and the workspace's percentile rank among them")
    StandingAnswer benchmarks(@AuthenticationPrincipal ApiCaller caller) {
        return new StandingAnswer(new Workspaces(db).businessSettings(caller.workspaceId()).industry(), Benchmarks.MIN_WORKSPACES,
                new Benchmarks(db).standing(caller.workspaceId()).stream()
                        .map(s -> new StandingItem(s.kpi().wireName(), s.value(), s.asOf(), s.industryPooled().orElse(null), s.industryMean().orElse(null),
                                s.industryWorkspaces().orElse(null), s.percentile().orElse(null), s.kpi().higherIsBetter()))
                        .toList());
    }

    @GetMapping("/trends")
    @Operation(summary = "The workspace's KPIs day by day (days of its time zone, both included): value, 7- and 28-day moving values, "
            + "week-over-week change; and each KPI's fitted long-term trend with its slope's 95% confidence interval")
    TrendsAnswer trends(@AuthenticationPrincipal ApiCaller caller,
                        @Parameter(description = "one KPI (human_click_rate, sent, conversions, ...); every one when absent") @RequestParam Optional<String> kpi,
                        @Parameter(description = "the first day, YYYY-MM-DD") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                        @Parameter(description = "the last day, YYYY-MM-DD; at most 180 days after from") @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        if (to.isBefore(from) || from.plusDays(MOST_TREND_DAYS).isBefore(to)) {
            throw new IllegalArgumentException("to: from " + from + " to at most " + MOST_TREND_DAYS + " days after it");
        }
        Trends trends = new Trends(db);
        Map<String, Trends.Fit> fits = trends.fits(caller.workspaceId());
        kpi.ifPresent(k -> fits.keySet().retainAll(List.of(k)));
        return new TrendsAnswer(trends.points(caller.workspaceId(), kpi, from, to), fits);
    }

    @GetMapping("/workspace/attribution")
    @Operation(summary = "How the workspace's revenue is attributed (click and open windows in hours; no open window: opens never credit) and its industry")
    Workspaces.BusinessSettings settings(@AuthenticationPrincipal ApiCaller caller) {
        return new Workspaces(db).businessSettings(caller.workspaceId());
    }

    @PutMapping("/workspace/attribution")
    @Operation(summary = "Set the attribution windows and the industry (admin key): {\"click_window_hours\": 120, \"open_window_hours\": null, "
            + "\"industry\": \"retail\"}; the next nightly run attributes every processed day again under the new windows")
    Workspaces.BusinessSettings setSettings(@AuthenticationPrincipal ApiCaller caller, InputStream body) throws IOException {
        JsonNode json = RequestJson.read(body);
        Workspaces.BusinessSettings settings = new Workspaces.BusinessSettings(hours(json, "click_window_hours", true),
                hours(json, "open_window_hours", false), RequestJson.text(json, "industry").orElse(null));
        Workspaces workspaces = new Workspaces(db);
        workspaces.setBusinessSettings(caller.workspaceId(), settings);
        return workspaces.businessSettings(caller.workspaceId());
    }

    private static Integer hours(JsonNode json, String field, boolean required) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": required");
            }
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": a whole number of hours");
        }
        return value.asInt();
    }

    private void campaign(ApiCaller caller, String campaignId) {
        if (!new ReadModel(db, caller.workspaceId()).hasCampaign(campaignId)) {
            throw new NotInWorkspace("campaign " + campaignId);
        }
    }

    private static RoiAnswer answer(Revenue.Roi roi) {
        return new RoiAnswer(roi.campaignId(), roi.cost().orElse(null), roi.revenue(), roi.roi().orElse(null),
                roi.cost().map(Revenue.Cost::currency).orElse(null));
    }
}
