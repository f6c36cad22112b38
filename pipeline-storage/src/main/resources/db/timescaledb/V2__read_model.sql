-- The read model on TimescaleDB: the raw store becomes a hypertable with compression and retention, and
-- event_counts_1m/1h/1d are continuous aggregates with real-time aggregation. Same relation names and columns as the
-- plain-PostgreSQL read model (db/migration/postgresql/V2__read_model.sql).
--
-- Each aggregate reads the raw store directly (not a coarser aggregate from a finer one) because distinct
-- recipients cannot be added up across buckets. Refresh policies look back past the validator's maximum event age
-- (30 days), so a late event is folded into its old bucket at the next refresh; TimescaleDB's invalidation log
-- means only buckets that received such events are recomputed.
-- Placeholders (set by the migrator from MAILPULSE_* settings): events_chunk_interval, events_compress_after,
-- events_retention, refresh_lookback.

CREATE EXTENSION IF NOT EXISTS timescaledb;

CREATE VIEW storage_engine AS SELECT 'timescaledb'::varchar AS engine;

SELECT create_hypertable('events', by_range('occurred_at', INTERVAL '${events_chunk_interval}'));

ALTER TABLE events SET (
    timescaledb.enable_columnstore = true,
    timescaledb.segmentby = 'workspace_id',
    timescaledb.orderby = 'occurred_at DESC, event_id'
);
CALL add_columnstore_policy('events', after => INTERVAL '${events_compress_after}');
SELECT add_retention_policy('events', drop_after => INTERVAL '${events_retention}');

-- One continuous aggregate per granularity, each with its refresh policy: name, bucket width, refresh interval.
DO $read_model$
DECLARE
    aggregate record;
BEGIN
    FOR aggregate IN
        SELECT * FROM (VALUES ('event_counts_1m', INTERVAL '1 minute', INTERVAL '1 minute'),
                              ('event_counts_1h', INTERVAL '1 hour', INTERVAL '5 minutes'),
                              ('event_counts_1d', INTERVAL '1 day', INTERVAL '30 minutes')) AS a (name, width, every)
    LOOP
        EXECUTE format($sql$
            CREATE MATERIALIZED VIEW %I
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT time_bucket(%L::interval, occurred_at) AS bucket,
                   workspace_id, campaign_id, event_type, mailbox_provider,
                   count(*)                          AS event_count,
                   count(*) FILTER (WHERE automated) AS automated_count,
                   count(DISTINCT recipient_hash)
                       FILTER (WHERE event_type IN ('email.open', 'email.click'))                  AS unique_recipients,
                   count(DISTINCT recipient_hash)
                       FILTER (WHERE event_type IN ('email.open', 'email.click') AND NOT automated) AS unique_human_recipients
            FROM events
            GROUP BY 1, workspace_id, campaign_id, event_type, mailbox_provider
            WITH NO DATA$sql$, aggregate.name, aggregate.width);
        PERFORM add_continuous_aggregate_policy(aggregate.name::regclass,
            start_offset => INTERVAL '${refresh_lookback}', end_offset => aggregate.width,
            schedule_interval => aggregate.every);
    END LOOP;
END
$read_model$;
