-- Bounces, deferrals and rejections by workspace and time: deliverability reads them (bounce kinds, messages deferred)
-- without reading the workspace's every other event of the range. A few percent of the rows, so cheap to keep.
CREATE INDEX events_delivery_failures ON events (workspace_id, occurred_at)
    WHERE event_type IN ('email.bounce', 'email.defer', 'email.reject');
