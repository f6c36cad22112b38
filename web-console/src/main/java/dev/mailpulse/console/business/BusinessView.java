package dev.mailpulse.console.business;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.mailpulse.storage.facts.Benchmarks;
import dev.mailpulse.storage.facts.Revenue;
import dev.mailpulse.storage.facts.Trends;

/**
 * What the console shows of the business, read as the API reads it (the same classes over the same tables): a
 * campaign's revenue, cost and ROI and its benchmark ranks; the workspace's standing in its industry; its trends.
 */
public record BusinessView(Optional<Revenue.Roi> roi, List<Benchmarks.Rank> ranks, List<Benchmarks.Standing> standing,
                           Map<String, Trends.Fit> fits, List<Trends.Point> trend, String trendKpi) {

    /** The KPI whose trend a page draws unless another is asked for. */
    public static final String DEFAULT_TREND = "human_click_rate";
    /** The days of trend a page draws. */
    public static final int TREND_DAYS = 90;

    /** A campaign's page: its revenue and ranks, and the workspace's trends of one KPI up to {@code until}. */
    public static BusinessView ofCampaign(DSLContext db, UUID workspace, String campaignId, String trendKpi, LocalDate until) {
        Trends trends = new Trends(db);
        return new BusinessView(Optional.of(new Revenue(db, workspace).roi(campaignId)), new Benchmarks(db).ranks(workspace, campaignId), List.of(),
                trends.fits(workspace), trends.points(workspace, Optional.of(trendKpi), until.minusDays(TREND_DAYS - 1), until), trendKpi);
    }

    /** The workspace's benchmarks page: its standing and its trends of one KPI up to {@code until}. */
    public static BusinessView ofWorkspace(DSLContext db, UUID workspace, String trendKpi, LocalDate until) {
        Trends trends = new Trends(db);
        return new BusinessView(Optional.empty(), List.of(), new Benchmarks(db).standing(workspace), trends.fits(workspace),
                trends.points(workspace, Optional.of(trendKpi), until.minusDays(TREND_DAYS - 1), until), trendKpi);
    }

    /** The trend's KPI if it is one, else the default: a page never fails on a hand-edited query. */
    public static String trendKpi(String asked) {
        return asked != null && Trends.SERIES.stream().anyMatch(s -> s.name().equals(asked)) ? asked : DEFAULT_TREND;
    }

    /** Whether the trend's KPI is a rate (drawn in percent) rather than a count. */
    public boolean trendIsRate() {
        return Trends.series(trendKpi).isRate();
    }

    public List<String> trendKpis() {
        return Trends.SERIES.stream().map(Trends.Series::name).toList();
    }
}
