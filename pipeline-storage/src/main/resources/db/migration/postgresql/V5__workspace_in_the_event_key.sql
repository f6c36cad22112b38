-- The workspace in the raw store's key. Unique on (event_id, occurred_at) alone, one workspace could make another's
-- event disappear by sending its id and time first: ON CONFLICT DO NOTHING dropped the real one. Every key that
-- recognises a redelivery now holds the workspace (the de-duplication and live-cache keys in Redis already did).
-- occurred_at stays in the key because TimescaleDB partitions by it. Existing rows keep their place: the old key was
-- stricter, so no two rows can clash under the new one.
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (workspace_id, event_id, occurred_at);
