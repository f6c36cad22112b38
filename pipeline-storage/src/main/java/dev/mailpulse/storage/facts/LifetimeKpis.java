package dev.mailpulse.storage.facts;

import java.util.Collection;
import java.util.Objects;
import java.util.UUID;

import org.jooq.DSLContext;

/**
 * A campaign's KPIs over its life: the days processed so far, from the first to the last. Counts are the daily
 * rows' sums; unique recipients are counted again over the whole span from the raw store (a recipient who opened on
 * two days is one opener), from the index of opens and clicks alone.
 */
public final class LifetimeKpis {

    private final DSLContext db;

    public LifetimeKpis(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Recomputes the life of each campaign given; a campaign with no processed day left loses its row. */
    public int recompute(UUID workspaceId, Collection<String> campaignIds) {
        int rows = 0;
        for (String campaign : campaignIds) {
            db.execute("DELETE FROM campaign_lifetime_kpis WHERE workspace_id = ? AND campaign_id = ?", workspaceId, campaign);
            rows += db.execute("""
                    INSERT INTO campaign_lifetime_kpis (workspace_id, campaign_id, first_day, last_day, sent, delivered, bounced, complaints,
                        unsubscribes, replies, unique_human_openers, unique_clickers, unique_human_clickers, delivery_rate, human_open_rate,
                        click_rate, human_click_rate, click_to_open_rate, bounce_rate, complaint_rate, unsubscribe_rate, reply_rate)
                    WITH days AS (
                        SELECT k.day, k.sent, k.delivered, k.bounced, k.complaints, k.unsubscribes, k.replies, d.day_start, d.day_end
                        FROM campaign_daily_kpis k JOIN etl_days d ON d.workspace_id = k.workspace_id AND d.day = k.day
                        WHERE k.workspace_id = ? AND k.campaign_id = ?),
                    span AS (
                        SELECT min(day) AS first_day, max(day) AS last_day, min(day_start) AS span_start, max(day_end) AS span_end,
                               sum(sent) AS sent, sum(delivered) AS delivered, sum(bounced) AS bounced, sum(complaints) AS complaints,
                               sum(unsubscribes) AS unsubscribes, sum(replies) AS replies
                        FROM days HAVING count(*) > 0),
                    uniques AS (
                        SELECT count(DISTINCT e.recipient_hash) FILTER (WHERE e.event_type = 'email.open' AND NOT e.automated) AS unique_human_openers,
                               count(DISTINCT e.recipient_hash) FILTER (WHERE e.event_type = 'email.click') AS unique_clickers,
                               count(DISTINCT e.recipient_hash) FILTER (WHERE e.event_type = 'email.click' AND NOT e.automated) AS unique_human_clickers
                        FROM events e, span
                        WHERE e.workspace_id = ? AND e.campaign_id = ? AND e.event_type IN ('email.open', 'email.click')
                          AND e.occurred_at >= span.span_start AND e.occurred_at < span.span_end)
                    SELECT ?, ?, first_day, last_day, sent, delivered, bounced, complaints, unsubscribes, replies, unique_human_openers,
                           unique_clickers, unique_human_clickers, %s
                    FROM span, uniques""".formatted(Kpis.RATES), workspaceId, campaign, workspaceId, campaign, workspaceId, campaign);
        }
        return rows;
    }
}
