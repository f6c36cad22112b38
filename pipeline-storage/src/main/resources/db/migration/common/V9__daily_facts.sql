-- The nightly ETL's inputs and outputs: which parts of which days changed, the days it processed, and the daily
-- facts per workspace-local day. Documented in the README ("Daily facts").

-- The quarter hours (UTC) of each workspace that received events, written by the event store in the transaction
-- that stores them (every zone's midnight falls on a quarter hour, +05:45 too). The ETL takes a day's quarters in
-- the transaction that recomputes the day: a writer still in flight holds its quarter's row, so the ETL either waits
-- for it and counts its events, or leaves the quarter behind for the next run; no timestamp comparison can miss a
-- transaction that commits late.
CREATE TABLE etl_changes (
    workspace_id uuid        NOT NULL,
    quarter      timestamptz NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, quarter)
);
/* [jooq ignore start] */
INSERT INTO etl_changes (workspace_id, quarter)
SELECT DISTINCT workspace_id, date_bin('15 minutes', occurred_at, timestamptz '2000-01-01 00:00:00+00') FROM events;
/* [jooq ignore stop] */

-- Each (workspace, local day) the ETL processed last: in which zone, when, by which job execution, from how many
-- events, and why ('first' time, 'late' events after it was processed, or 'asked' for by date).
CREATE TABLE etl_days (
    workspace_id     uuid        NOT NULL REFERENCES workspaces (workspace_id),
    day              date        NOT NULL,
    time_zone        varchar     NOT NULL,
    day_start        timestamptz NOT NULL,
    day_end          timestamptz NOT NULL,
    processed_at     timestamptz NOT NULL,
    job_execution_id bigint,
    events           bigint      NOT NULL,
    reason           varchar     NOT NULL CHECK (reason IN ('first', 'late', 'asked')),
    PRIMARY KEY (workspace_id, day)
);

-- Per workspace-local day, campaign ('' for events of no campaign) and mailbox provider ('' when unknown): counts by
-- event type, what the rates need, bounces by kind, exact unique recipients, conversions and revenue per currency.
-- A recipient has one domain and so one provider: unique counts add up across providers (not across days).
CREATE TABLE daily_campaign_facts (
    workspace_id          uuid    NOT NULL,
    day                   date    NOT NULL,
    campaign_id           varchar NOT NULL,
    mailbox_provider      varchar NOT NULL,
    counts                jsonb   NOT NULL, -- {"email.send": n, ...}
    sent                  bigint  NOT NULL,
    delivered             bigint  NOT NULL,
    deferred_messages     bigint  NOT NULL, -- messages deferred at least once
    bounced               bigint  NOT NULL,
    bounces_by_kind       jsonb   NOT NULL,
    rejected              bigint  NOT NULL,
    opens                 bigint  NOT NULL,
    machine_opens         bigint  NOT NULL,
    clicks                bigint  NOT NULL,
    bot_clicks            bigint  NOT NULL,
    unique_openers        bigint  NOT NULL,
    unique_human_openers  bigint  NOT NULL,
    unique_clickers       bigint  NOT NULL,
    unique_human_clickers bigint  NOT NULL,
    replies               bigint  NOT NULL,
    complaints            bigint  NOT NULL,
    unsubscribes          bigint  NOT NULL,
    conversions           bigint  NOT NULL,
    revenue               jsonb   NOT NULL, -- {"EUR": amount, ...}
    PRIMARY KEY (workspace_id, day, campaign_id, mailbox_provider)
);
CREATE INDEX daily_campaign_facts_campaign ON daily_campaign_facts (workspace_id, campaign_id, day);

-- The same per recipient domain ('' when unknown).
CREATE TABLE daily_domain_facts (
    workspace_id          uuid    NOT NULL,
    day                   date    NOT NULL,
    campaign_id           varchar NOT NULL,
    recipient_domain      varchar NOT NULL,
    counts                jsonb   NOT NULL,
    sent                  bigint  NOT NULL,
    delivered             bigint  NOT NULL,
    deferred_messages     bigint  NOT NULL,
    bounced               bigint  NOT NULL,
    bounces_by_kind       jsonb   NOT NULL,
    rejected              bigint  NOT NULL,
    opens                 bigint  NOT NULL,
    machine_opens         bigint  NOT NULL,
    clicks                bigint  NOT NULL,
    bot_clicks            bigint  NOT NULL,
    unique_openers        bigint  NOT NULL,
    unique_human_openers  bigint  NOT NULL,
    unique_clickers       bigint  NOT NULL,
    unique_human_clickers bigint  NOT NULL,
    replies               bigint  NOT NULL,
    complaints            bigint  NOT NULL,
    unsubscribes          bigint  NOT NULL,
    conversions           bigint  NOT NULL,
    revenue               jsonb   NOT NULL,
    PRIMARY KEY (workspace_id, day, campaign_id, recipient_domain)
);

-- Per recipient (the keyed hash, never the address) and day: what the machine-learning jobs read.
CREATE TABLE daily_recipient_facts (
    workspace_id    uuid        NOT NULL,
    day             date        NOT NULL,
    recipient_hash  varchar     NOT NULL,
    sends           bigint      NOT NULL,
    deliveries      bigint      NOT NULL,
    human_opens     bigint      NOT NULL,
    human_clicks    bigint      NOT NULL,
    last_engaged_at timestamptz, -- the day's last human open or click
    PRIMARY KEY (workspace_id, day, recipient_hash)
);

-- KPIs per campaign and workspace-local day, and over the campaign's life (the days processed so far): rates are
-- null where there is nothing to divide by; unique recipients are exact over the span (never summed across days).
CREATE TABLE campaign_daily_kpis (
    workspace_id          uuid             NOT NULL,
    campaign_id           varchar          NOT NULL,
    day                   date             NOT NULL,
    sent                  bigint           NOT NULL,
    delivered             bigint           NOT NULL,
    bounced               bigint           NOT NULL,
    complaints            bigint           NOT NULL,
    unsubscribes          bigint           NOT NULL,
    replies               bigint           NOT NULL,
    unique_human_openers  bigint           NOT NULL,
    unique_clickers       bigint           NOT NULL,
    unique_human_clickers bigint           NOT NULL,
    delivery_rate         double precision, -- delivered / sent
    human_open_rate       double precision, -- unique human openers / delivered
    click_rate            double precision, -- unique clickers / delivered
    human_click_rate      double precision, -- unique human clickers / delivered
    click_to_open_rate    double precision, -- unique human clickers / unique human openers
    bounce_rate           double precision, -- bounced / sent
    complaint_rate        double precision, -- complaints / delivered
    unsubscribe_rate      double precision, -- unsubscribes / delivered
    reply_rate            double precision, -- replies / delivered
    PRIMARY KEY (workspace_id, campaign_id, day)
);

CREATE TABLE campaign_lifetime_kpis (
    workspace_id          uuid             NOT NULL,
    campaign_id           varchar          NOT NULL,
    first_day             date             NOT NULL,
    last_day              date             NOT NULL,
    sent                  bigint           NOT NULL,
    delivered             bigint           NOT NULL,
    bounced               bigint           NOT NULL,
    complaints            bigint           NOT NULL,
    unsubscribes          bigint           NOT NULL,
    replies               bigint           NOT NULL,
    unique_human_openers  bigint           NOT NULL,
    unique_clickers       bigint           NOT NULL,
    unique_human_clickers bigint           NOT NULL,
    delivery_rate         double precision, -- delivered / sent
    human_open_rate       double precision, -- unique human openers / delivered
    click_rate            double precision, -- unique clickers / delivered
    human_click_rate      double precision, -- unique human clickers / delivered
    click_to_open_rate    double precision, -- unique human clickers / unique human openers
    bounce_rate           double precision, -- bounced / sent
    complaint_rate        double precision, -- complaints / delivered
    unsubscribe_rate      double precision, -- unsubscribes / delivered
    reply_rate            double precision, -- replies / delivered
    PRIMARY KEY (workspace_id, campaign_id)
);
