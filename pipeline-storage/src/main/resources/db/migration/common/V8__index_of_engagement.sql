-- Opens and clicks by campaign and time, with what counting their unique (human) recipients needs, so that a
-- campaign's summary and the campaigns list count them from the index alone instead of visiting each row: a busy
-- campaign's month is tens of thousands of rows scattered over as many pages of the raw store.
CREATE INDEX events_engagement ON events (workspace_id, campaign_id, occurred_at) INCLUDE (event_type, automated, recipient_hash)
    WHERE event_type IN ('email.open', 'email.click');
