-- The daily ETL's business intelligence: revenue attributed to campaigns, campaign costs (for ROI), benchmarks
-- within the workspace and across its industry, and trends. Documented in the README ("Revenue, ROI, benchmarks and
-- trends").

-- A workspace's attribution windows (a conversion credits the last human click within the click window; opens only
-- when an open window is set) and its industry, which puts it in an industry's comparison.
ALTER TABLE workspaces ADD COLUMN attribution_click_hours integer NOT NULL DEFAULT 120
    CHECK (attribution_click_hours BETWEEN 1 AND 2160);
ALTER TABLE workspaces ADD COLUMN attribution_open_hours integer CHECK (attribution_open_hours BETWEEN 1 AND 2160);
ALTER TABLE workspaces ADD COLUMN industry varchar CHECK (industry ~ '^[a-z0-9][a-z0-9_-]{0,62}$');

-- When a processed day's conversions were last attributed, and under which windows: a day is attributed again when
-- a day its window reaches back to was processed since, or when the workspace's windows changed.
ALTER TABLE etl_days ADD COLUMN attributed_at timestamptz;
ALTER TABLE etl_days ADD COLUMN attribution_click_hours integer;
ALTER TABLE etl_days ADD COLUMN attribution_open_hours integer;

-- Per workspace-local day of the conversion: conversions and revenue per campaign credited ('' when none is), how
-- ('message': the conversion named the message; 'click' or 'open': the recipient's last human one within the window;
-- 'unattributed') and currency. Revenue is never converted between currencies.
CREATE TABLE daily_attribution (
    workspace_id uuid    NOT NULL,
    day          date    NOT NULL,
    campaign_id  varchar NOT NULL,
    method       varchar NOT NULL CHECK (method IN ('message', 'click', 'open', 'unattributed')),
    currency     varchar NOT NULL,
    conversions  bigint  NOT NULL,
    revenue      numeric(30, 10) NOT NULL,
    PRIMARY KEY (workspace_id, day, campaign_id, method, currency)
);
CREATE INDEX daily_attribution_campaign ON daily_attribution (workspace_id, campaign_id, day);

-- A campaign's cost: from its campaign.create event (schema version 2) or set through the API or the console; the
-- latest setting wins.
CREATE TABLE campaign_costs (
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    campaign_id  varchar     NOT NULL,
    amount       numeric(30, 10) NOT NULL CHECK (amount >= 0),
    currency     varchar     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    source       varchar     NOT NULL CHECK (source IN ('event', 'manual')),
    set_at       timestamptz NOT NULL,
    set_by       varchar,
    PRIMARY KEY (workspace_id, campaign_id)
);

-- Each campaign's percentile rank (0 to 100, higher is better: for bounces, complaints and unsubscribes a lower
-- rate ranks higher) on each KPI among the workspace's campaigns of the 90 days up to its latest processed day.
CREATE TABLE campaign_benchmarks (
    workspace_id uuid             NOT NULL,
    campaign_id  varchar          NOT NULL,
    kpi          varchar          NOT NULL,
    value        double precision NOT NULL,
    percentile   double precision NOT NULL,
    campaigns    integer          NOT NULL, -- how many were ranked
    as_of        date             NOT NULL,
    PRIMARY KEY (workspace_id, campaign_id, kpi)
);

-- An industry's KPIs over the same 90 days, published only where at least 5 workspaces share it: the pooled rate of
-- all their campaigns and the mean of the workspaces' rates, never one workspace's figure.
CREATE TABLE industry_benchmarks (
    industry   varchar          NOT NULL,
    kpi        varchar          NOT NULL,
    workspaces integer          NOT NULL,
    pooled     double precision NOT NULL,
    mean       double precision NOT NULL,
    as_of      date             NOT NULL,
    PRIMARY KEY (industry, kpi)
);

-- A workspace's own rate over the 90 days, and its percentile rank among its industry's workspaces (where published).
CREATE TABLE workspace_benchmarks (
    workspace_id uuid             NOT NULL,
    kpi          varchar          NOT NULL,
    value        double precision NOT NULL,
    industry     varchar,
    percentile   double precision,
    as_of        date             NOT NULL,
    PRIMARY KEY (workspace_id, kpi)
);

-- Per workspace, KPI and processed day: the day's value, its 7- and 28-day moving values (rates as the ratio of the
-- window's sums, counts as the mean per day) and the change of the last 7 days against the 7 before.
CREATE TABLE workspace_trends (
    workspace_id   uuid             NOT NULL,
    kpi            varchar          NOT NULL,
    day            date             NOT NULL,
    value          double precision,
    average_7d     double precision,
    average_28d    double precision,
    week_over_week double precision,
    PRIMARY KEY (workspace_id, kpi, day)
);

-- The long-term trend of each workspace's KPI: a least-squares line over its daily values of the last 180 days, the
-- slope's 95% confidence interval, and what that says ('rising', 'falling', or 'flat' when the interval holds 0).
CREATE TABLE workspace_trend_fits (
    workspace_id  uuid             NOT NULL,
    kpi           varchar          NOT NULL,
    first_day     date             NOT NULL,
    last_day      date             NOT NULL,
    days          integer          NOT NULL,
    slope_per_day double precision NOT NULL,
    slope_low     double precision NOT NULL,
    slope_high    double precision NOT NULL,
    intercept     double precision NOT NULL,
    r_squared     double precision,
    direction     varchar          NOT NULL CHECK (direction IN ('rising', 'falling', 'flat')),
    PRIMARY KEY (workspace_id, kpi)
);
