package dev.mailpulse.storage.facts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The daily facts of one workspace-local day, recomputed from the raw store with set-based statements: the day's
 * change marks taken, its facts deleted and inserted again, the day recorded as processed. Run in one transaction
 * (the caller's), so a day run twice gives the same rows, and a day that failed half-way has none of its changes.
 *
 * <p>Taking the marks first makes the day wait for any writer still storing events into it (their marks' rows are
 * locked), and every later statement sees what those writers committed; a writer that begins afterwards leaves a new
 * mark, and the day is processed again on the next run.
 */
public final class DailyFacts {

    /** Why a day is processed: for the first time, again because events came after it was processed, or asked for. */
    public enum Reason {
        FIRST, LATE, ASKED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What processing a day did: the events it counted, the fact rows it wrote, the marks it took. */
    public record Processed(LocalDay day, Reason reason, long events, long factRows, int marksTaken) {
    }

    /** The facts tables, each keyed by workspace and day, in the order they are written. */
    static final List<String> TABLES = List.of("daily_campaign_facts", "daily_domain_facts", "daily_recipient_facts", "campaign_daily_kpis");

    private final DSLContext db;

    public DailyFacts(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * @param jobExecutionId the batch job execution processing it, if any, recorded with the day
     */
    public Processed process(LocalDay day, Reason reason, Long jobExecutionId) {
        OffsetDateTime start = day.start().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = day.end().atOffset(ZoneOffset.UTC);
        int marks = db.execute("DELETE FROM etl_changes WHERE workspace_id = ? AND quarter >= ?::timestamptz AND quarter < ?::timestamptz", day.workspaceId(), start, end);
        for (String table : TABLES) {
            db.execute("DELETE FROM " + table + " WHERE workspace_id = ? AND day = ?", day.workspaceId(), day.day());
        }
        // the day's events read once, into a table of this transaction that every fact is counted from
        db.execute("DROP TABLE IF EXISTS etl_day_events");
        db.execute("""
                CREATE TEMPORARY TABLE etl_day_events ON COMMIT DROP AS
                SELECT coalesce(campaign_id, '') AS campaign_id, mailbox_provider, coalesce(recipient_domain, '') AS recipient_domain,
                       event_type, automated, recipient_hash, message_id, occurred_at,
                       CASE WHEN event_type = 'email.bounce' THEN coalesce(attributes->>'bounce_kind', 'unknown') END AS bounce_kind,
                       CASE WHEN event_type = 'email.conversion' THEN attributes->>'currency' END AS currency,
                       CASE WHEN event_type = 'email.conversion' THEN (attributes->>'amount')::numeric END AS amount
                FROM events WHERE workspace_id = ? AND occurred_at >= ?::timestamptz AND occurred_at < ?::timestamptz""", day.workspaceId(), start, end);
        db.execute("ANALYZE etl_day_events");
        long events = db.fetchCount(DSL.table(DSL.name("etl_day_events")));
        long rows = db.execute(dimensionFacts("daily_campaign_facts", "mailbox_provider"), day.workspaceId(), day.day())
                + db.execute(dimensionFacts("daily_domain_facts", "recipient_domain"), day.workspaceId(), day.day())
                + db.execute(RECIPIENT_FACTS, day.workspaceId(), day.day())
                + db.execute(CAMPAIGN_DAILY_KPIS, day.workspaceId(), day.day());
        db.execute("""
                INSERT INTO etl_days (workspace_id, day, time_zone, day_start, day_end, processed_at, job_execution_id, events, reason)
                VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz, now(), ?, ?, ?)
                ON CONFLICT (workspace_id, day) DO UPDATE SET time_zone = excluded.time_zone, day_start = excluded.day_start,
                    day_end = excluded.day_end, processed_at = excluded.processed_at, job_execution_id = excluded.job_execution_id,
                    events = excluded.events, reason = excluded.reason""",
                day.workspaceId(), day.day(), day.zone().getId(), start, end, jobExecutionId, events, reason.wireName());
        db.execute("DROP TABLE etl_day_events");
        return new Processed(day, reason, events, rows, marks);
    }

    /** Counts by campaign and one dimension (mailbox provider or recipient domain) of the day's events. */
    private static String dimensionFacts(String table, String column) {
        return """
                INSERT INTO %1$s (workspace_id, day, campaign_id, %2$s, counts, sent, delivered, deferred_messages, bounced, bounces_by_kind,
                    rejected, opens, machine_opens, clicks, bot_clicks, unique_openers, unique_human_openers, unique_clickers,
                    unique_human_clickers, replies, complaints, unsubscribes, conversions, revenue)
                WITH by_type AS (
                    SELECT campaign_id, %2$s, jsonb_object_agg(event_type, events ORDER BY event_type) AS counts
                    FROM (SELECT campaign_id, %2$s, event_type, count(*) AS events FROM etl_day_events GROUP BY 1, 2, 3) t GROUP BY 1, 2),
                by_kind AS (
                    SELECT campaign_id, %2$s, jsonb_object_agg(bounce_kind, bounces ORDER BY bounce_kind) AS bounces_by_kind
                    FROM (SELECT campaign_id, %2$s, bounce_kind, count(*) AS bounces FROM etl_day_events WHERE bounce_kind IS NOT NULL
                          GROUP BY 1, 2, 3) t GROUP BY 1, 2),
                by_currency AS (
                    SELECT campaign_id, %2$s, jsonb_object_agg(currency, amount ORDER BY currency) AS revenue
                    FROM (SELECT campaign_id, %2$s, currency, sum(amount) AS amount FROM etl_day_events WHERE currency IS NOT NULL
                          GROUP BY 1, 2, 3) t GROUP BY 1, 2),
                totals AS (%3$s FROM etl_day_events GROUP BY campaign_id, %2$s)
                SELECT ?, ?, t.campaign_id, t.%2$s, b.counts, t.sent, t.delivered, t.deferred_messages, t.bounced,
                       coalesce(k.bounces_by_kind, '{}'), t.rejected, t.opens, t.machine_opens, t.clicks, t.bot_clicks, t.unique_openers,
                       t.unique_human_openers, t.unique_clickers, t.unique_human_clickers, t.replies, t.complaints, t.unsubscribes,
                       t.conversions, coalesce(c.revenue, '{}')
                FROM totals t JOIN by_type b USING (campaign_id, %2$s) LEFT JOIN by_kind k USING (campaign_id, %2$s)
                     LEFT JOIN by_currency c USING (campaign_id, %2$s)""".formatted(table, column, totals("campaign_id, " + column));
    }

    /** The counts every fact row has, of the rows grouped by {@code key}. */
    private static String totals(String key) {
        return """
                SELECT %s,
                       count(*) FILTER (WHERE event_type = 'email.send') AS sent,
                       count(*) FILTER (WHERE event_type = 'email.deliver') AS delivered,
                       count(DISTINCT message_id) FILTER (WHERE event_type = 'email.defer') AS deferred_messages,
                       count(*) FILTER (WHERE event_type = 'email.bounce') AS bounced,
                       count(*) FILTER (WHERE event_type = 'email.reject') AS rejected,
                       count(*) FILTER (WHERE event_type = 'email.open') AS opens,
                       count(*) FILTER (WHERE event_type = 'email.open' AND automated) AS machine_opens,
                       count(*) FILTER (WHERE event_type = 'email.click') AS clicks,
                       count(*) FILTER (WHERE event_type = 'email.click' AND automated) AS bot_clicks,
                       count(DISTINCT recipient_hash) FILTER (WHERE event_type = 'email.open') AS unique_openers,
                       count(DISTINCT recipient_hash) FILTER (WHERE event_type = 'email.open' AND NOT automated) AS unique_human_openers,
                       count(DISTINCT recipient_hash) FILTER (WHERE event_type = 'email.click') AS unique_clickers,
                       count(DISTINCT recipient_hash) FILTER (WHERE event_type = 'email.click' AND NOT automated) AS unique_human_clickers,
                       count(*) FILTER (WHERE event_type = 'email.reply') AS replies,
                       count(*) FILTER (WHERE event_type = 'email.complaint') AS complaints,
                       count(*) FILTER (WHERE event_type = 'email.unsubscribe') AS unsubscribes,
                       count(*) FILTER (WHERE event_type = 'email.conversion') AS conversions""".formatted(key);
    }

    private static final String RECIPIENT_FACTS = """
            INSERT INTO daily_recipient_facts (workspace_id, day, recipient_hash, sends, deliveries, human_opens, human_clicks, last_engaged_at)
            SELECT ?, ?, recipient_hash,
                   count(*) FILTER (WHERE event_type = 'email.send'),
                   count(*) FILTER (WHERE event_type = 'email.deliver'),
                   count(*) FILTER (WHERE event_type = 'email.open' AND NOT automated),
                   count(*) FILTER (WHERE event_type = 'email.click' AND NOT automated),
                   max(occurred_at) FILTER (WHERE event_type IN ('email.open', 'email.click') AND NOT automated)
            FROM etl_day_events WHERE recipient_hash IS NOT NULL GROUP BY recipient_hash""";

    private static final String CAMPAIGN_DAILY_KPIS = """
            INSERT INTO campaign_daily_kpis (workspace_id, campaign_id, day, sent, delivered, bounced, complaints, unsubscribes, replies,
                unique_human_openers, unique_clickers, unique_human_clickers, %s)
            SELECT ?, campaign_id, ?::date, sent, delivered, bounced, complaints, unsubscribes, replies, unique_human_openers, unique_clickers,
                   unique_human_clickers, %s
            FROM (%s FROM etl_day_events WHERE campaign_id <> '' GROUP BY campaign_id) t""".formatted(Kpis.RATE_COLUMNS, Kpis.RATES,
            totals("campaign_id"));
}
