-- Conversions by campaign and time: the campaigns list and a campaign's summary sum their revenue by currency, and
-- without this index they visited every event of the campaigns' range to find the few that are conversions.
CREATE INDEX events_conversions ON events (workspace_id, campaign_id, occurred_at) WHERE event_type = 'email.conversion';

-- Bounces, deferrals and rejections now carry what deliverability groups and counts them by, so that messages
-- deferred by mailbox provider or domain are counted from the index alone.
DROP INDEX events_delivery_failures;
CREATE INDEX events_delivery_failures ON events (workspace_id, occurred_at)
    INCLUDE (event_type, campaign_id, mailbox_provider, recipient_domain, message_id)
    WHERE event_type IN ('email.bounce', 'email.defer', 'email.reject');
