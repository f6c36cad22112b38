-- Per-workspace ingestion rate (events per second); null means the collector's default.
ALTER TABLE workspaces ADD COLUMN events_per_second integer CHECK (events_per_second > 0);

-- A provider's original payload of a webhook event, kept whole for audit next to the canonical fields.
ALTER TABLE events ADD COLUMN provider_payload jsonb;
