-- The read model on plain PostgreSQL: event counts in 1-minute, 1-hour and 1-day buckets, kept exact and current by
-- a statement-level trigger on the raw store. The relations event_counts_1m/1h/1d have the same names and columns as
-- the TimescaleDB continuous aggregates (db/timescaledb/V2__read_model.sql), so readers cannot tell them apart.
--
-- Why it is exact:
--  * the trigger sees only the rows an INSERT really added (its transition table): a duplicate that hit
--    ON CONFLICT DO NOTHING on (event_id, occurred_at) is not in it, so it is never counted;
--  * a late event simply adds to its old bucket, whatever has been counted there before;
--  * unique recipients are counted through a set of (bucket, key, recipient) rows: a recipient adds one to the
--    count only when its row is new, so the same recipient opening twice in a bucket counts once;
--  * the counters are updated in the writer's transaction, so they commit or roll back with the events.
-- Rows are upserted in key order so that concurrent writers lock them in the same order and cannot deadlock.

CREATE VIEW storage_engine AS SELECT 'postgresql'::varchar AS engine;

CREATE TABLE event_rollups (
    granularity             varchar        NOT NULL CHECK (granularity IN ('1m', '1h', '1d')),
    bucket                  timestamptz NOT NULL,
    workspace_id            uuid        NOT NULL,
    campaign_id             varchar,
    event_type              varchar        NOT NULL,
    mailbox_provider        varchar        NOT NULL,
    event_count             bigint      NOT NULL,
    automated_count         bigint      NOT NULL,
    unique_recipients       bigint      NOT NULL,
    unique_human_recipients bigint      NOT NULL
);
/* [jooq ignore start] */
-- NULLS NOT DISTINCT: events without a campaign share one row per bucket instead of one per event.
CREATE UNIQUE INDEX event_rollups_key ON event_rollups
    (granularity, workspace_id, bucket, campaign_id, event_type, mailbox_provider) NULLS NOT DISTINCT;
/* [jooq ignore stop] */

-- Which recipients have already been counted in a bucket: scope 'any' for unique_recipients, 'human' for
-- unique_human_recipients. Only the types whose unique recipients are reported (opens and clicks) have rows here.
CREATE TABLE event_rollup_recipients (
    granularity      varchar        NOT NULL,
    bucket           timestamptz NOT NULL,
    workspace_id     uuid        NOT NULL,
    campaign_key     varchar        NOT NULL, -- campaign_id, or '' for none (campaign ids are never empty)
    event_type       varchar        NOT NULL,
    mailbox_provider varchar        NOT NULL,
    recipient_hash   varchar        NOT NULL,
    scope            varchar        NOT NULL CHECK (scope IN ('any', 'human')),
    PRIMARY KEY (granularity, workspace_id, bucket, campaign_key, event_type, mailbox_provider, recipient_hash, scope)
);

CREATE VIEW event_counts_1m AS
SELECT bucket, workspace_id, campaign_id, event_type, mailbox_provider,
       event_count, automated_count, unique_recipients, unique_human_recipients
FROM event_rollups WHERE granularity = '1m';

CREATE VIEW event_counts_1h AS
SELECT bucket, workspace_id, campaign_id, event_type, mailbox_provider,
       event_count, automated_count, unique_recipients, unique_human_recipients
FROM event_rollups WHERE granularity = '1h';

CREATE VIEW event_counts_1d AS
SELECT bucket, workspace_id, campaign_id, event_type, mailbox_provider,
       event_count, automated_count, unique_recipients, unique_human_recipients
FROM event_rollups WHERE granularity = '1d';

/* [jooq ignore start] */
CREATE FUNCTION roll_up_inserted_events() RETURNS trigger LANGUAGE plpgsql AS $roll_up$
BEGIN
    WITH granularities (granularity, width) AS (
        VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour'), ('1d', interval '1 day')
    ),
    bucketed AS (
        -- date_bin from 2000-01-01 UTC gives the same buckets as TimescaleDB's time_bucket for these widths.
        SELECT g.granularity,
               date_bin(g.width, e.occurred_at, timestamptz '2000-01-01 00:00:00+00') AS bucket,
               e.workspace_id, e.campaign_id, e.event_type, e.mailbox_provider, e.automated, e.recipient_hash
        FROM inserted_events e CROSS JOIN granularities g
    ),
    newly_seen AS (
        INSERT INTO event_rollup_recipients AS seen
            (granularity, bucket, workspace_id, campaign_key, event_type, mailbox_provider, recipient_hash, scope)
        SELECT DISTINCT b.granularity, b.bucket, b.workspace_id, coalesce(b.campaign_id, ''), b.event_type,
               b.mailbox_provider, b.recipient_hash, s.scope
        FROM bucketed b
        CROSS JOIN (VALUES ('any'), ('human')) AS s (scope)
        WHERE b.recipient_hash IS NOT NULL
          AND b.event_type IN ('email.open', 'email.click')
          AND (s.scope = 'any' OR NOT b.automated)
        ORDER BY 1, 3, 2, 4, 5, 6, 7, 8
        ON CONFLICT DO NOTHING
        RETURNING seen.granularity, seen.bucket, seen.workspace_id, nullif(seen.campaign_key, '') AS campaign_id,
                  seen.event_type, seen.mailbox_provider, seen.scope
    ),
    new_uniques AS (
        SELECT granularity, bucket, workspace_id, campaign_id, event_type, mailbox_provider,
               count(*) FILTER (WHERE scope = 'any')   AS unique_recipients,
               count(*) FILTER (WHERE scope = 'human') AS unique_human_recipients
        FROM newly_seen
        GROUP BY granularity, bucket, workspace_id, campaign_id, event_type, mailbox_provider
    ),
    counts AS (
        SELECT granularity, bucket, workspace_id, campaign_id, event_type, mailbox_provider,
               count(*)                          AS event_count,
               count(*) FILTER (WHERE automated) AS automated_count
        FROM bucketed
        GROUP BY granularity, bucket, workspace_id, campaign_id, event_type, mailbox_provider
    )
    INSERT INTO event_rollups AS r
        (granularity, bucket, workspace_id, campaign_id, event_type, mailbox_provider,
         event_count, automated_count, unique_recipients, unique_human_recipients)
    SELECT c.granularity, c.bucket, c.workspace_id, c.campaign_id, c.event_type, c.mailbox_provider,
           c.event_count, c.automated_count,
           coalesce(u.unique_recipients, 0), coalesce(u.unique_human_recipients, 0)
    FROM counts c
    LEFT JOIN new_uniques u
           ON u.granularity = c.granularity AND u.bucket = c.bucket AND u.workspace_id = c.workspace_id
          AND coalesce(u.campaign_id, '') = coalesce(c.campaign_id, '') -- hashable, unlike IS NOT DISTINCT FROM
          AND u.event_type = c.event_type AND u.mailbox_provider = c.mailbox_provider
    ORDER BY c.granularity, c.workspace_id, c.bucket, c.campaign_id, c.event_type, c.mailbox_provider
    ON CONFLICT (granularity, workspace_id, bucket, campaign_id, event_type, mailbox_provider) DO UPDATE
       SET event_count             = r.event_count + excluded.event_count,
           automated_count         = r.automated_count + excluded.automated_count,
           unique_recipients       = r.unique_recipients + excluded.unique_recipients,
           unique_human_recipients = r.unique_human_recipients + excluded.unique_human_recipients;
    RETURN NULL;
END
$roll_up$;

CREATE TRIGGER events_roll_up
    AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted_events
    FOR EACH STATEMENT EXECUTE FUNCTION roll_up_inserted_events();
/* [jooq ignore stop] */
