-- The send-time model's outputs (ml-train, model "send_time"): when each segment's and each recipient's sends get the
-- most human clicks. Written from the promoted version only, replaced whole per workspace. Documented in the README
-- ("Machine learning").

-- Per mailbox provider and per recipient domain: the shrunk click rate, its lifts by local hour of day (24) and by
-- weekday (7, Monday first), the best hours of the week (Monday 00:00 local is 0), and the expected lift of sending at
-- the best one over the segment's sends as they were, with its 95% interval.
CREATE TABLE send_time_segments (
    workspace_id        uuid             NOT NULL REFERENCES workspaces (workspace_id),
    segment_kind        varchar          NOT NULL CHECK (segment_kind IN ('provider', 'domain')),
    segment             varchar          NOT NULL,
    model_version       integer          NOT NULL,
    sends               bigint           NOT NULL,
    human_clicks        bigint           NOT NULL,
    click_rate          double precision NOT NULL,
    hour_lifts          jsonb            NOT NULL, -- [24 numbers]
    weekday_lifts       jsonb            NOT NULL, -- [7 numbers]
    best_hours_of_week  jsonb            NOT NULL, -- [up to 3 hours of week, the best first]
    best_click_rate     double precision NOT NULL, -- expected at the best hour of week
    lift                double precision NOT NULL,
    lift_low            double precision NOT NULL,
    lift_high           double precision NOT NULL,
    PRIMARY KEY (workspace_id, segment_kind, segment)
);

-- Each recipient's best hour of week: from its own sends where it has enough ('recipient', shrunk toward its domain's
-- hours), else its domain's ('domain').
CREATE TABLE recipient_send_times (
    workspace_id        uuid             NOT NULL,
    recipient_hash      varchar          NOT NULL,
    recipient_domain    varchar          NOT NULL,
    basis               varchar          NOT NULL CHECK (basis IN ('recipient', 'domain')),
    sends               bigint           NOT NULL,
    hour_of_week        integer          NOT NULL CHECK (hour_of_week BETWEEN 0 AND 167),
    click_rate          double precision NOT NULL, -- expected at that hour
    PRIMARY KEY (workspace_id, recipient_hash)
);

