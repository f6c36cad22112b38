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
                       CASE WHEN event_type = 'email.conversion' THEN (attributes->>'amount')::numeric END AS amount,
                       CASE WHEN event_type = 'campaign.create' THEN attributes->'cost' END AS cost
                FROM events WHERE workspace_id = ? AND occurred_at >= ?::timestamptz AND occurred_at < ?::timestamptz""", day.workspaceId(), start, end);
        db.execute("ANALYZE etl_day_events");
        long events = db.fetchCount(DSL.table(DSL.name("etl_day_events")));
        long rows = db.execute(dimensionFacts("daily_campaign_facts", "mailbox_provider"), day.workspaceId(), day.day())
                + db.execute(dimensionFacts("daily_domain_facts", "recipient_domain"), day.workspaceId(), day.day())
                + db.execute(RECIPIENT_FACTS, day.workspaceId(), day.day())
                + db.execute(CAMPAIGN_DAILY_KPIS, day.workspaceId(), day.day());
        db.execute(CAMPAIGN_COSTS, day.workspaceId());
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
                WITH %3$s
                SELECT ?, ?, campaign_id, %2$s, counts, sent, delivered, deferred_messages, bounced, bounces_by_kind, rejected, opens,
                       machine_opens, clicks, bot_clicks, unique_openers, unique_human_openers, unique_clickers, unique_human_clickers,
                       replies, complaints, unsubscribes, conversions, revenue
                FROM facts"""
                .formatted(table, column, facts("campaign_id, " + column, "true"));
    }

    /**
     * The common table {@code facts}: the counts every fact row has, of the day's events matching {@code filter}
     * grouped by {@code key}. Two reads of the events, both hash aggregates: one counts them by key, type, bounce
     * kind and currency (every other count is summed from that), the other finds the distinct (key, type, recipient
     * or deferred message), which is far cheaper than {@code count(DISTINCT ...)}, whose sort of every event was
     * most of the job's time.
     */
    private static String facts(String key, String filter) {
        return """
                counted AS (
                    SELECT %1$s, event_type, bounce_kind, currency, count(*) AS events, count(*) FILTER (WHERE automated) AS automated,
                           sum(amount) AS amount
                    FROM etl_day_events WHERE %2$s GROUP BY %1$s, event_type, bounce_kind, currency),
                by_type AS (
                    SELECT %1$s, event_type, sum(events)::bigint AS events, sum(automated)::bigint AS automated
                    FROM counted GROUP BY %1$s, event_type),
                totals AS (
                    SELECT %1$s, jsonb_object_agg(event_type, events ORDER BY event_type) AS counts,
                           %3$s AS sent, %4$s AS delivered, %5$s AS bounced, %6$s AS rejected, %7$s AS opens, %8$s AS machine_opens,
                           %9$s AS clicks, %10$s AS bot_clicks, %11$s AS replies, %12$s AS complaints, %13$s AS unsubscribes,
                           %14$s AS conversions
                    FROM by_type GROUP BY %1$s),
                breakdowns AS (
                    SELECT %1$s,
                           coalesce(jsonb_object_agg(bounce_kind, events ORDER BY bounce_kind) FILTER (WHERE bounce_kind IS NOT NULL), '{}')
                               AS bounces_by_kind,
                           coalesce(jsonb_object_agg(currency, amount ORDER BY currency) FILTER (WHERE currency IS NOT NULL), '{}') AS revenue
                    FROM counted GROUP BY %1$s),
                subjects AS (
                    SELECT %1$s, event_type, CASE WHEN event_type = 'email.defer' THEN message_id ELSE recipient_hash END AS subject,
                           bool_or(NOT automated) AS human
                    FROM etl_day_events WHERE %2$s AND event_type IN ('email.defer', 'email.open', 'email.click')
                    GROUP BY %1$s, event_type, subject),
                uniques AS (
                    SELECT %1$s,
                           count(*) FILTER (WHERE event_type = 'email.defer') AS deferred_messages,
                           count(*) FILTER (WHERE event_type = 'email.open') AS unique_openers,
                           count(*) FILTER (WHERE event_type = 'email.open' AND human) AS unique_human_openers,
                           count(*) FILTER (WHERE event_type = 'email.click') AS unique_clickers,
                           count(*) FILTER (WHERE event_type = 'email.click' AND human) AS unique_human_clickers
                    FROM subjects WHERE subject IS NOT NULL GROUP BY %1$s),
                facts AS (
                    SELECT t.*, b.bounces_by_kind, b.revenue, coalesce(u.deferred_messages, 0) AS deferred_messages,
                           coalesce(u.unique_openers, 0) AS unique_openers, coalesce(u.unique_human_openers, 0) AS unique_human_openers,
                           coalesce(u.unique_clickers, 0) AS unique_clickers, coalesce(u.unique_human_clickers, 0) AS unique_human_clickers
                    FROM totals t JOIN breakdowns b USING (%1$s) LEFT JOIN uniques u USING (%1$s))""".formatted(key, filter,
                sum("events", "email.send"),
                sum("events", "email.deliver"), sum("events", "email.bounce"), sum("events", "email.reject"), sum("events", "email.open"),
                sum("automated", "email.open"), sum("events", "email.click"), sum("automated", "email.click"), sum("events", "email.reply"),
                sum("events", "email.complaint"), sum("events", "email.unsubscribe"), sum("events", "email.conversion"));
    }

    /** The sum of a column of {@code by_type} over one event type, 0 where there is none. */
    private static String sum(String column, String eventType) {
        return "coalesce(sum(%s) FILTER (WHERE event_type = '%s'), 0)::bigint".formatted(column, eventType);
    }

    /**
     * Inserted in the key's order, as a million rows go into the key's index twice as fast as in the hash aggregate's
     * order; sorted by bytes (the same order for the hashes' characters), far cheaper than by the database's collation.
     */
    private static final String RECIPIENT_FACTS = """
            INSERT INTO daily_recipient_facts (workspace_id, day, recipient_hash, sends, deliveries, human_opens, human_clicks, last_engaged_at)
            SELECT ?, ?, recipient_hash,
                   count(*) FILTER (WHERE event_type = 'email.send'),
                   count(*) FILTER (WHERE event_type = 'email.deliver'),
                   count(*) FILTER (WHERE event_type = 'email.open' AND NOT automated),
                   count(*) FILTER (WHERE event_type = 'email.click' AND NOT automated),
                   max(occurred_at) FILTER (WHERE event_type IN ('email.open', 'email.click') AND NOT automated)
            FROM etl_day_events WHERE recipient_hash IS NOT NULL GROUP BY recipient_hash
            ORDER BY recipient_hash COLLATE "C\"""";

    /** The costs the day's campaign.create events declare (schema version 2), unless set later, through the API or again. */
    private static final String CAMPAIGN_COSTS = """
            INSERT INTO campaign_costs (workspace_id, campaign_id, amount, currency, source, set_at)
            SELECT DISTINCT ON (campaign_id) ?, campaign_id, (cost->>'amount')::numeric, cost->>'currency', 'event', occurred_at
            FROM etl_day_events WHERE cost IS NOT NULL AND campaign_id <> '' ORDER BY campaign_id, occurred_at DESC
            ON CONFLICT (workspace_id, campaign_id) DO UPDATE SET amount = excluded.amount, currency = excluded.currency,
                source = excluded.source, set_at = excluded.set_at, set_by = NULL
            WHERE campaign_costs.set_at <= excluded.set_at""";

    private static final String CAMPAIGN_DAILY_KPIS = """
            INSERT INTO campaign_daily_kpis (workspace_id, campaign_id, day, sent, delivered, bounced, complaints, unsubscribes, replies,
                unique_human_openers, unique_clickers, unique_human_clickers, %s)
            WITH %s
            SELECT ?, campaign_id, ?::date, sent, delivered, bounced, complaints, unsubscribes, replies, unique_human_openers, unique_clickers,
                   unique_human_clickers, %s
            FROM facts""".formatted(Kpis.RATE_COLUMNS, facts("campaign_id", "campaign_id <> ''"), Kpis.RATES);
}
