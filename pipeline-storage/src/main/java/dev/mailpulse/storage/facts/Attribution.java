package dev.mailpulse.storage.facts;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Revenue attribution of one workspace-local day's conversions. A conversion credits the campaign of the message it
 * names ({@code attributed_message_id}) when that message was sent through us; otherwise the campaign of the
 * recipient's last human click within the workspace's click window; otherwise, where the workspace counts opens, of
 * its last human open within the open window; otherwise no campaign. Machine opens and bot clicks never credit, and
 * a click always outranks an open (an open precedes every click, and says less).
 *
 * <p>A day's attribution reads the raw store, clicks as far back as its window reaches. It is recomputed when a day
 * the window reaches back to (or the day itself) was processed after it — a late click or conversion — and when the
 * workspace's windows changed; the windows that produced it are recorded with the day.
 */
public final class Attribution {

    /** A processed day whose attribution is missing or out of date. */
    public record Due(LocalDay day, int clickHours, Integer openHours) {
    }

    private final DSLContext db;

    public Attribution(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * The processed days to attribute, oldest first: never attributed, attributed under other windows, or with a day
     * of their window processed since. The window of a day that starts at local midnight reaches back into at most
     * {@code ceil(hours / 24) + 1} earlier days (one more for a day of 25 hours).
     */
    public List<Due> due(Optional<String> workspace) {
        List<Due> due = new ArrayList<>();
        db.fetch("""
                SELECT d.workspace_id, w.name, d.day, d.time_zone, w.attribution_click_hours, w.attribution_open_hours
                FROM etl_days d JOIN workspaces w ON w.workspace_id = d.workspace_id
                WHERE ({0}::varchar IS NULL OR w.name = {0})
                  AND (d.attributed_at IS NULL
                       OR d.attribution_click_hours IS DISTINCT FROM w.attribution_click_hours
                       OR d.attribution_open_hours IS DISTINCT FROM w.attribution_open_hours
                       OR EXISTS (SELECT 1 FROM etl_days e
                                  WHERE e.workspace_id = d.workspace_id AND e.processed_at > d.attributed_at AND e.day <= d.day
                                    AND e.day >= d.day - ((greatest(w.attribution_click_hours, coalesce(w.attribution_open_hours, 0)) + 23) / 24 + 1)))
                ORDER BY d.day, w.name""", DSL.val(workspace.orElse(null), String.class))
                .forEach(r -> due.add(new Due(new LocalDay(r.get(0, UUID.class), r.get(1, String.class), r.get(2, LocalDate.class),
                        ZoneId.of(r.get(3, String.class))), r.get(4, Integer.class), r.get(5, Integer.class))));
        return due;
    }

    /**
     * Attributes the day's conversions again, in the caller's transaction; returns the rows written. The day's
     * conversions, then their recipients' human opens and clicks over the window, are read into analysed tables of the
     * transaction first: with estimates of both, the planner joins them by hash whatever the workspace's size (from
     * the raw store's statistics alone it chose loops over thousands of conversions for each other).
     */
    public int attribute(Due due) {
        LocalDay day = due.day();
        db.execute("DELETE FROM daily_attribution WHERE workspace_id = ? AND day = ?", day.workspaceId(), day.day());
        int reachHours = Math.max(due.clickHours(), due.openHours() == null ? 0 : due.openHours());
        db.execute("DROP TABLE IF EXISTS attribution_conversions, attribution_touches");
        db.execute("""
                CREATE TEMPORARY TABLE attribution_conversions ON COMMIT DROP AS
                SELECT event_id, recipient_hash, occurred_at, attributes->>'attributed_message_id' AS message_id,
                       attributes->>'currency' AS currency, (attributes->>'amount')::numeric AS amount
                FROM events
                WHERE workspace_id = {0} AND event_type = 'email.conversion' AND occurred_at >= {1} AND occurred_at < {2}""",
                DSL.val(day.workspaceId()), DSL.val(day.start().atOffset(ZoneOffset.UTC)), DSL.val(day.end().atOffset(ZoneOffset.UTC)));
        db.execute("ANALYZE attribution_conversions");
        db.execute("""
                CREATE TEMPORARY TABLE attribution_touches ON COMMIT DROP AS
                SELECT recipient_hash, occurred_at, campaign_id, event_type
                FROM events
                WHERE workspace_id = {0} AND event_type IN ('email.open', 'email.click') AND NOT automated AND campaign_id IS NOT NULL
                  AND occurred_at > {1} - make_interval(hours => {3}) AND occurred_at < {2}
                  AND recipient_hash IN (SELECT recipient_hash FROM attribution_conversions)""",
                DSL.val(day.workspaceId()), DSL.val(day.start().atOffset(ZoneOffset.UTC)), DSL.val(day.end().atOffset(ZoneOffset.UTC)),
                DSL.val(reachHours));
        db.execute("ANALYZE attribution_touches");
        int rows = db.execute("""
                INSERT INTO daily_attribution (workspace_id, day, campaign_id, method, currency, conversions, revenue)
                WITH by_message AS (
                    SELECT c.event_id, sent.campaign_id
                    FROM attribution_conversions c CROSS JOIN LATERAL (
                        SELECT s.campaign_id FROM events s
                        WHERE s.workspace_id = {0} AND s.message_id = c.message_id AND s.event_type = 'email.send' AND s.campaign_id IS NOT NULL
                        ORDER BY s.occurred_at LIMIT 1) sent
                    WHERE c.message_id IS NOT NULL),
                last_touch AS (
                    SELECT DISTINCT ON (c.event_id) c.event_id, t.campaign_id,
                           CASE t.event_type WHEN 'email.click' THEN 'click' ELSE 'open' END AS method
                    FROM attribution_conversions c JOIN attribution_touches t ON t.recipient_hash = c.recipient_hash AND t.occurred_at <= c.occurred_at
                    WHERE (t.event_type = 'email.click' AND t.occurred_at > c.occurred_at - make_interval(hours => {2}))
                       OR (t.event_type = 'email.open' AND {3}::int IS NOT NULL AND t.occurred_at > c.occurred_at - make_interval(hours => {3}::int))
                    ORDER BY c.event_id, t.event_type = 'email.click' DESC, t.occurred_at DESC, t.campaign_id)
                SELECT {0}, {1}, coalesce(m.campaign_id, t.campaign_id, ''),
                       CASE WHEN m.campaign_id IS NOT NULL THEN 'message' ELSE coalesce(t.method, 'unattributed') END,
                       c.currency, count(*), sum(c.amount)
                FROM attribution_conversions c LEFT JOIN by_message m ON m.event_id = c.event_id LEFT JOIN last_touch t ON t.event_id = c.event_id
                GROUP BY 3, 4, 5""",
                DSL.val(day.workspaceId()), DSL.val(day.day()), DSL.val(due.clickHours()), DSL.val(due.openHours(), Integer.class));
        db.execute("DROP TABLE attribution_conversions, attribution_touches");
        db.execute("""
                UPDATE etl_days SET attributed_at = now(), attribution_click_hours = ?, attribution_open_hours = ?
                WHERE workspace_id = ? AND day = ?""", due.clickHours(), due.openHours(), day.workspaceId(), day.day());
        return rows;
    }
}
