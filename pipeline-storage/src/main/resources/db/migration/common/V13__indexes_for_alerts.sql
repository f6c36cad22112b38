-- The alert evaluator counts, every few seconds, the last minutes of a workspace's human opens and clicks (unique
-- recipients) and its infrastructure reports. Without these, each evaluation would read every event of its window
-- (or every open the workspace ever had, through the engagement index's campaign column) to find them.
-- Human engagement is a part of the opens and clicks; the infrastructure reports are a handful a minute.
CREATE INDEX events_human_engagement ON events (workspace_id, occurred_at)
    INCLUDE (event_type, recipient_hash, mailbox_provider, recipient_domain, campaign_id)
    WHERE event_type IN ('email.open', 'email.click') AND NOT automated;
CREATE INDEX events_infrastructure ON events (workspace_id, occurred_at)
    WHERE event_type IN ('infrastructure.smtp_status', 'infrastructure.dns_change', 'infrastructure.vps_health');
